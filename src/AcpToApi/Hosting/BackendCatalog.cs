using AcpToApi.Backends;
using AcpToApi.Backends.Echo;
using AcpToApi.Backends.OpenAICompatible;
using AcpToApi.Backends.OpenCode;
using AcpToApi.Configuration;

namespace AcpToApi.Hosting;

/// <summary>Builds every backend registration from the resolved options: built-ins first, config entries last (they win).</summary>
public static class BackendCatalog
{
    public static List<BackendRegistration> Build(ServerOptions options, HttpClient http)
    {
        string? Env(string name) => options.Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var registrations = new List<BackendRegistration>
        {
            new("echo", new EchoBackend(), "built-in echo backend (needs nothing installed)"),
        };

        registrations.Add(new("kilo", new ServeApiBackend(http, AgentDaemon(options, "kilo", options.KiloUrl)),
            "Kilo Code (kilo serve); bare model ids go here"));
        registrations.Add(new("opencode", new ServeApiBackend(http, AgentDaemon(options, "opencode", options.OpenCodeUrl)),
            "opencode (opencode serve)"));

        foreach (var brand in OpenAIBrand.All)
        {
            var backend = new OpenAICompatibleBackend(http, new OpenAICompatibleOptions
            {
                Prefix = brand.Prefix,
                BaseUrl = new Uri(Env(brand.BaseUrlVariable) ?? brand.DefaultBaseUrl),
                ApiKey = Env(brand.KeyVariable),
                ApiKeyVariable = brand.KeyVariable,
                UseMaxCompletionTokens = brand.UseMaxCompletionTokens,
                IdleTimeout = options.IdleTimeout,
            });
            registrations.Add(new(brand.Prefix, backend, $"{brand.Prefix} (OpenAI-compatible API, key {brand.KeyVariable})"));
        }

        foreach (var entry in options.Providers)
        {
            var backend = new OpenAICompatibleBackend(http, new OpenAICompatibleOptions
            {
                Prefix = entry.Prefix,
                BaseUrl = new Uri(entry.BaseUrl),
                ApiKey = entry.ApiKeyEnv is null ? null : Env(entry.ApiKeyEnv),
                ApiKeyVariable = entry.ApiKeyEnv,
                RequiresApiKey = entry.ApiKeyEnv is not null,
                IdleTimeout = options.IdleTimeout,
            });
            registrations.Add(new(entry.Prefix, backend, $"{entry.Prefix} (OpenAI-compatible, from config file)"));
        }
        return registrations;
    }

    private static ServeApiOptions AgentDaemon(ServerOptions options, string name, Uri url) => new()
    {
        Prefix = name,
        BinaryName = name,
        BaseUrl = url,
        PermissionReply = options.AgentPermission,
        IdleTimeout = options.IdleTimeout,
        AutoLaunch = options.AutoLaunch,
        // An auto-launched daemon inherits the gateway's environment (as read at start-up).
        LaunchEnvironment = options.Environment.Count > 0 ? options.Environment : null,
    };
}
