using AcpToApi.Backends;
using AcpToApi.Backends.Anthropic;
using AcpToApi.Backends.Bedrock;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Backends.Echo;
using AcpToApi.Backends.Gemini;
using AcpToApi.Backends.Ollama;
using AcpToApi.Backends.OpenAICompatible;
using AcpToApi.Backends.OpenCode;
using AcpToApi.Configuration;

namespace AcpToApi.Hosting;

/// <summary>
/// Builds every backend registration from the resolved options: built-ins first, config entries last (they win).
/// Every backend keeps time (idle timeouts, pacing, queue waits) on the app's clock, <paramref name="time"/>.
/// </summary>
public static class BackendCatalog
{
    public static List<BackendRegistration> Build(ServerOptions options, HttpClient http, TimeProvider time)
    {
        string? Env(string name) => options.Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var registrations = new List<BackendRegistration>
        {
            new("echo", new EchoBackend(time), "built-in echo backend (needs nothing installed)"),
            new("claude", new ClaudeCliBackend(ClaudeOptions(options), time),
                options.ClaudeTools ? "Claude Code CLI (TOOLS ENABLED)" : "Claude Code CLI (sandboxed: no tools, no MCP, no settings)"),
        };

        registrations.Add(new("anthropic", new AnthropicBackend(http, new AnthropicOptions
        {
            BaseUrl = new Uri(Env("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com"),
            ApiKey = Env("ANTHROPIC_API_KEY"),
            IdleTimeout = options.IdleTimeout,
        }, time), "Anthropic Messages API (key ANTHROPIC_API_KEY)"));

        var geminiKeyVariable = Env("GEMINI_API_KEY") is not null ? "GEMINI_API_KEY" : "GOOGLE_API_KEY";
        registrations.Add(new("gemini", new GeminiBackend(http, new GeminiOptions
        {
            BaseUrl = new Uri(Env("GEMINI_BASE_URL") ?? "https://generativelanguage.googleapis.com"),
            ApiKey = Env(geminiKeyVariable),
            ApiKeyVariable = geminiKeyVariable,
            IdleTimeout = options.IdleTimeout,
        }, time), "Gemini API (key GEMINI_API_KEY or GOOGLE_API_KEY)"));

        registrations.Add(new("ollama", new OllamaBackend(http, new OllamaOptions
        {
            BaseUrl = new Uri(Env("OLLAMA_URL") ?? "http://127.0.0.1:11434"),
            IdleTimeout = options.IdleTimeout,
        }, time), "Ollama /api/chat (OLLAMA_URL, no key)"));

        registrations.Add(new("bedrock", new BedrockBackend(http, new BedrockOptions
        {
            BaseUrl = Env("BEDROCK_BASE_URL") is { } bedrockUrl ? new Uri(bedrockUrl) : null,
            Region = Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION"),
            AccessKeyId = Env("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = Env("AWS_SECRET_ACCESS_KEY"),
            SessionToken = Env("AWS_SESSION_TOKEN"),
            IdleTimeout = options.IdleTimeout,
        }, time), "Amazon Bedrock ConverseStream (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, optional AWS_SESSION_TOKEN)"));
        registrations.Add(new("kilo", new ServeApiBackend(http, AgentDaemon(options, "kilo", options.KiloUrl), time),
            "Kilo Code (kilo serve); bare model ids go here"));
        registrations.Add(new("opencode", new ServeApiBackend(http, AgentDaemon(options, "opencode", options.OpenCodeUrl), time),
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
            }, time);
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
            }, time);
            registrations.Add(new(entry.Prefix, backend, $"{entry.Prefix} (OpenAI-compatible, from config file)"));
        }
        return registrations;
    }

    public static ClaudeCliOptions ClaudeOptions(ServerOptions options) => new()
    {
        Executable = options.ClaudeBin,
        Environment = options.Environment,
        EnableTools = options.ClaudeTools,
        KeepAgentPrompt = options.ClaudeAgentPrompt,
        MaxConcurrency = options.ClaudeMaxConcurrency,
        QueueTimeout = options.ClaudeQueueTimeout,
        IdleTimeout = options.IdleTimeout,
    };

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
