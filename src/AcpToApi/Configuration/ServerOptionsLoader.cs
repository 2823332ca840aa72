using System.Globalization;

namespace AcpToApi.Configuration;

/// <summary>Resolves every setting: command-line flag, then environment variable, then config file, then default.</summary>
public static class ServerOptionsLoader
{
    public static ServerOptions Load(CommandLineFlags flags, IReadOnlyDictionary<string, string> environment)
    {
        string? Env(string name) => environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var configPath = flags.ConfigFile ?? Env(EnvironmentVariables.Config);
        var file = configPath is null ? new ConfigFile() : ConfigFile.Load(configPath);
        var defaults = new ServerOptions();

        var options = new ServerOptions
        {
            Port = flags.Port ?? ParseInt(Env(EnvironmentVariables.Port), EnvironmentVariables.Port) ?? file.Port ?? defaults.Port,
            Host = flags.Host ?? Env(EnvironmentVariables.Host) ?? file.Host ?? defaults.Host,
            KiloUrl = ParseUrl(flags.Kilo ?? Env(EnvironmentVariables.Kilo) ?? file.Kilo, "--kilo") ?? defaults.KiloUrl,
            OpenCodeUrl = ParseUrl(flags.OpenCode ?? Env(EnvironmentVariables.OpenCode) ?? file.OpenCode, "--opencode") ?? defaults.OpenCodeUrl,
            ClaudeBin = flags.ClaudeBin ?? Env(EnvironmentVariables.ClaudeBin) ?? file.ClaudeBin ?? defaults.ClaudeBin,
            ClaudeTools = flags.ClaudeTools ?? ParseBool(Env(EnvironmentVariables.ClaudeTools), EnvironmentVariables.ClaudeTools)
                ?? file.ClaudeTools ?? defaults.ClaudeTools,
            ClaudeAgentPrompt = flags.ClaudeAgentPrompt ?? ParseBool(Env(EnvironmentVariables.ClaudeAgentPrompt), EnvironmentVariables.ClaudeAgentPrompt)
                ?? file.ClaudeAgentPrompt ?? defaults.ClaudeAgentPrompt,
            ClaudeMaxConcurrency = flags.ClaudeMaxConcurrency
                ?? ParseInt(Env(EnvironmentVariables.ClaudeMaxConcurrency), EnvironmentVariables.ClaudeMaxConcurrency)
                ?? file.ClaudeMaxConcurrency ?? defaults.ClaudeMaxConcurrency,
            ClaudeQueueTimeout = TimeSpan.FromSeconds(flags.ClaudeQueueTimeoutSeconds
                ?? ParseDouble(Env(EnvironmentVariables.ClaudeQueueTimeout), EnvironmentVariables.ClaudeQueueTimeout)
                ?? file.ClaudeQueueTimeoutSeconds ?? defaults.ClaudeQueueTimeout.TotalSeconds),
            AutoLaunch = flags.AutoLaunch
                ?? ParseBool(Env(EnvironmentVariables.AutoLaunch), EnvironmentVariables.AutoLaunch)
                ?? file.AutoLaunch ?? false,
            AgentPermission = (flags.AgentPermission ?? Env(EnvironmentVariables.AgentPermission) ?? file.AgentPermission ?? defaults.AgentPermission).ToLowerInvariant(),
            ApiKey = flags.ApiKey ?? Env(EnvironmentVariables.ApiKey) ?? file.ApiKey,
            AnthropicModelBackend = flags.AnthropicModelBackend ?? Env(EnvironmentVariables.AnthropicModelBackend)
                ?? file.AnthropicModelBackend ?? defaults.AnthropicModelBackend,
            AllowRemoteWithoutKey = flags.AllowRemoteWithoutKey
                ?? ParseBool(Env(EnvironmentVariables.AllowRemoteWithoutKey), EnvironmentVariables.AllowRemoteWithoutKey)
                ?? file.AllowRemoteWithoutKey ?? false,
            MaxBodyBytes = flags.MaxBodyBytes ?? ParseLong(Env(EnvironmentVariables.MaxBodyBytes), EnvironmentVariables.MaxBodyBytes)
                ?? file.MaxBodyBytes ?? defaults.MaxBodyBytes,
            IdleTimeout = TimeSpan.FromSeconds(flags.IdleTimeoutSeconds
                ?? ParseDouble(Env(EnvironmentVariables.IdleTimeout), EnvironmentVariables.IdleTimeout)
                ?? file.IdleTimeoutSeconds ?? defaults.IdleTimeout.TotalSeconds),
            KeepAliveInterval = TimeSpan.FromSeconds(flags.KeepAliveSeconds
                ?? ParseDouble(Env(EnvironmentVariables.KeepAlive), EnvironmentVariables.KeepAlive)
                ?? file.KeepAliveSeconds ?? defaults.KeepAliveInterval.TotalSeconds),
            CorsOrigins = flags.CorsOrigins is { Count: > 0 } origins ? origins
                : Env(EnvironmentVariables.CorsOrigins)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                ?? (IReadOnlyList<string>?)file.CorsOrigins ?? [],
            LogLevel = flags.LogLevel ?? Env(EnvironmentVariables.LogLevel) ?? file.LogLevel ?? defaults.LogLevel,
            InlineIo = flags.InlineIo ?? ParseBool(Env(EnvironmentVariables.InlineIo), EnvironmentVariables.InlineIo)
                ?? file.InlineIo ?? defaults.InlineIo,
            ConfigFile = configPath,
            Providers = file.Providers ?? [],
            Environment = environment,
        };
        Validate(options);
        return options;
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

    private static void Validate(ServerOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new OptionsException($"port {options.Port} is out of range (0-65535)");
        }
        if (options.MaxBodyBytes < 1024)
        {
            throw new OptionsException("max body size must be at least 1024 bytes");
        }
        if (!AcpToApi.Backends.OpenCode.ServePermissionReplies.IsValid(options.AgentPermission))
        {
            throw new OptionsException($"agent permission '{options.AgentPermission}' must be reject, once or always");
        }
        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            throw new OptionsException("idle timeout must be positive");
        }
        if (options.ClaudeMaxConcurrency is < 1 or > 256)
        {
            throw new OptionsException($"claude max concurrency {options.ClaudeMaxConcurrency} is out of range (1-256)");
        }
        if (options.ClaudeQueueTimeout < TimeSpan.Zero)
        {
            throw new OptionsException("claude queue timeout must not be negative");
        }
        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            throw new OptionsException("keep-alive interval must be positive");
        }
        if (!options.IsLoopbackBinding && string.IsNullOrEmpty(options.ApiKey) && !options.AllowRemoteWithoutKey)
        {
            throw new OptionsException(
                $"refusing to listen on {options.Host} without an API key: anyone who can reach it could use your backends. "
                + $"Set --api-key (or {EnvironmentVariables.ApiKey}), or pass --allow-remote-without-key if you really mean it.");
        }
        foreach (var provider in options.Providers)
        {
            if (string.IsNullOrWhiteSpace(provider.Prefix) || provider.Prefix.Contains('/'))
            {
                throw new OptionsException($"config provider prefix '{provider.Prefix}' must be a non-empty name without '/'");
            }
            ParseUrl(provider.BaseUrl, $"providers[{provider.Prefix}].baseUrl");
        }
    }

    private static Uri? ParseUrl(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }
        throw new OptionsException($"{name}: '{value}' is not an http(s) URL");
    }

    private static int? ParseInt(string? value, string name) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new OptionsException($"{name}='{value}' is not a whole number");

    private static long? ParseLong(string? value, string name) =>
        value is null ? null
        : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new OptionsException($"{name}='{value}' is not a whole number");

    private static double? ParseDouble(string? value, string name) =>
        value is null ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
        : throw new OptionsException($"{name}='{value}' is not a number");

    private static bool? ParseBool(string? value, string name) => value?.ToLowerInvariant() switch
    {
        null => null,
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new OptionsException($"{name}='{value}' is not true/false"),
    };
}
