using System.Text.Json;

namespace AcpToApi.Configuration;

/// <summary>
/// Reads every setting through Microsoft.Extensions.Configuration: the JSON config file, then the environment, then
/// the command line (each source overrides the ones before it), checks and normalizes the winning values
/// (<see cref="SettingValues"/>), and binds the gateway's options with the configuration-binder source generator.
/// </summary>
internal static class SettingsLoader
{
    /// <param name="given">What the command line gave, as configuration keys (tests give settings the same way).</param>
    /// <param name="environment">The process environment as read at start-up (injectable for tests).</param>
    public static GatewaySettings Load(IReadOnlyDictionary<string, string?> given, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var key in given.Keys)
        {
            SettingsCatalog.Get(key.Split(':')[0]);
        }
        var fromEnvironment = SettingsCatalog.FromEnvironment(environment);
        var configPath = Value(given, "config") ?? Value(fromEnvironment, "config");

        IConfigurationRoot layers;
        using (var file = configPath is null ? null : OpenConfigFile(configPath))
        {
            var builder = new ConfigurationBuilder();
            if (file is not null)
            {
                builder.AddJsonStream(file);
            }
            builder.AddInMemoryCollection(fromEnvironment).AddInMemoryCollection(given);
            try
            {
                layers = builder.Build();
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
            {
                throw new OptionsException($"config file {configPath} is not valid JSON: {e.Message}");
            }
        }
        var providers = layers.Providers.ToList();
        var sources = new List<SettingSource>();
        if (configPath is not null)
        {
            sources.Add(new SettingSource(providers[0], $"config file {configPath}", IsConfigFile: true));
        }
        sources.Add(new SettingSource(providers[^2], "the environment", IsConfigFile: false));
        sources.Add(new SettingSource(providers[^1], "the command line", IsConfigFile: false));

        var values = new ConfigurationBuilder().AddInMemoryCollection(SettingValues.Resolve(sources)).Build();
        var settings = new GatewaySettings(new ServerOptions { Environment = environment }, values);
        settings.For(typeof(ServerOptions)).Bind(settings.Server);
        Validate(settings.Server);
        return settings;
    }

    public static IReadOnlyDictionary<string, string> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }
        return result;
    }

    private static string? Value(IReadOnlyDictionary<string, string?> values, string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static FileStream OpenConfigFile(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException(e is FileNotFoundException or DirectoryNotFoundException
                ? $"config file not found: {path}" : $"config file {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>What no single setting's check can see: combinations, and the entries of the providers list.</summary>
    private static void Validate(ServerOptions options)
    {
        if (!options.IsLoopbackBinding && string.IsNullOrEmpty(options.ApiKey) && !options.AllowRemoteWithoutKey)
        {
            var apiKey = SettingsCatalog.Get(nameof(ServerOptions.ApiKey));
            throw new OptionsException(
                $"refusing to listen on {options.Host} without an API key: anyone who can reach it could use your backends. "
                + $"Set {apiKey.Flag} (or {apiKey.EnvironmentVariable}), or pass {SettingsCatalog.Get(nameof(ServerOptions.AllowRemoteWithoutKey)).Flag} if you really mean it.");
        }
        foreach (var provider in options.Providers)
        {
            if (string.IsNullOrWhiteSpace(provider.Prefix) || provider.Prefix.Contains('/'))
            {
                throw new OptionsException($"config provider prefix '{provider.Prefix}' must be a non-empty name without '/'");
            }
            if (!SettingValues.IsHttpUrl(provider.BaseUrl))
            {
                throw new OptionsException($"providers[{provider.Prefix}].baseUrl: '{provider.BaseUrl}' is not an http(s) URL");
            }
        }
    }
}
