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
/// Builds every backend registration: built-ins first, config entries last (they win). Each backend's options start
/// from what is not a setting (keys and base URLs from the environment, names) and are then bound from the settings
/// that type carries, so a setting the operator gave applies and every other keeps that backend's own default.
/// Every backend keeps time (idle timeouts, pacing, queue waits) on the app's clock, <paramref name="time"/>.
/// </summary>
internal static class BackendCatalog
{
    public static List<BackendRegistration> Build(GatewaySettings settings, HttpClient http, ILoggerFactory loggerFactory, TimeProvider time,
        AcpToApi.Backends.ClientTools.IClientToolHost? toolHost = null)
    {
        var server = settings.Server;
        string? Env(string name) => Variable(settings, name);

        var claude = Claude(settings);
        var registrations = new List<BackendRegistration>
        {
            new("echo", new EchoBackend(time), "built-in echo backend (needs nothing installed)"),
            new("claude", new ClaudeCliBackend(claude, loggerFactory, toolHost, time),
                claude.ClaudeTools ? "Claude Code CLI (TOOLS ENABLED)" : "Claude Code CLI (sandboxed: none of its own tools, only the client's tools through the gateway, no settings)"),
        };

        var anthropic = new AnthropicOptions
        {
            BaseUrl = new Uri(Env("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com"),
            ApiKey = Env("ANTHROPIC_API_KEY"),
        };
        settings.For(typeof(AnthropicOptions)).Bind(anthropic);
        registrations.Add(new("anthropic", new AnthropicBackend(http, anthropic, time), "Anthropic Messages API (key ANTHROPIC_API_KEY)"));

        var geminiKeyVariable = Env("GEMINI_API_KEY") is not null ? "GEMINI_API_KEY" : "GOOGLE_API_KEY";
        var gemini = new GeminiOptions
        {
            BaseUrl = new Uri(Env("GEMINI_BASE_URL") ?? "https://generativelanguage.googleapis.com"),
            ApiKey = Env(geminiKeyVariable),
            ApiKeyVariable = geminiKeyVariable,
        };
        settings.For(typeof(GeminiOptions)).Bind(gemini);
        registrations.Add(new("gemini", new GeminiBackend(http, gemini, time), "Gemini API (key GEMINI_API_KEY or GOOGLE_API_KEY)"));

        registrations.Add(new("ollama", new OllamaBackend(http, Ollama(settings), time), "Ollama /api/chat (OLLAMA_URL, no key)"));

        var bedrock = new BedrockOptions
        {
            BaseUrl = Env("BEDROCK_BASE_URL") is { } bedrockUrl ? new Uri(bedrockUrl) : null,
            Region = Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION"),
            AccessKeyId = Env("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = Env("AWS_SECRET_ACCESS_KEY"),
            SessionToken = Env("AWS_SESSION_TOKEN"),
        };
        settings.For(typeof(BedrockOptions)).Bind(bedrock);
        registrations.Add(new("bedrock", new BedrockBackend(http, bedrock, time),
            "Amazon Bedrock ConverseStream (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, optional AWS_SESSION_TOKEN)"));
        registrations.Add(new("kilo", new ServeApiBackend(http, AgentDaemon(settings, "kilo", server.Kilo), loggerFactory, time, toolHost),
            "Kilo Code (kilo serve); bare model ids go here"));
        registrations.Add(new("opencode", new ServeApiBackend(http, AgentDaemon(settings, "opencode", server.Opencode), loggerFactory, time, toolHost),
            "opencode (opencode serve)"));

        foreach (var brand in OpenAIBrand.All)
        {
            var backend = new OpenAICompatibleBackend(http, OpenAICompatible(settings, new OpenAICompatibleOptions
            {
                Prefix = brand.Prefix,
                BaseUrl = new Uri(Env(brand.BaseUrlVariable) ?? brand.DefaultBaseUrl),
                ApiKey = Env(brand.KeyVariable),
                ApiKeyVariable = brand.KeyVariable,
                UseMaxCompletionTokens = brand.UseMaxCompletionTokens,
            }), time);
            registrations.Add(new(brand.Prefix, backend, $"{brand.Prefix} (OpenAI-compatible API, key {brand.KeyVariable})"));
        }

        foreach (var entry in server.Providers)
        {
            var backend = new OpenAICompatibleBackend(http, OpenAICompatible(settings, new OpenAICompatibleOptions
            {
                Prefix = entry.Prefix,
                BaseUrl = new Uri(entry.BaseUrl),
                ApiKey = entry.ApiKeyEnv is null ? null : Env(entry.ApiKeyEnv),
                ApiKeyVariable = entry.ApiKeyEnv,
                RequiresApiKey = entry.ApiKeyEnv is not null,
            }), time);
            registrations.Add(new(entry.Prefix, backend, $"{entry.Prefix} (OpenAI-compatible, from config file)"));
        }
        return registrations;
    }

    public static ClaudeCliOptions Claude(GatewaySettings settings)
    {
        var options = new ClaudeCliOptions { Environment = settings.Server.Environment, LoopToken = settings.LoopToken };
        settings.For(typeof(ClaudeCliOptions)).Bind(options);
        return options;
    }

    public static OllamaOptions Ollama(GatewaySettings settings)
    {
        var options = new OllamaOptions
        {
            BaseUrl = new Uri(Variable(settings, "OLLAMA_URL") ?? "http://127.0.0.1:11434"),
        };
        settings.For(typeof(OllamaOptions)).Bind(options);
        return options;
    }

    public static ServeApiOptions AgentDaemon(GatewaySettings settings, string name, Uri url)
    {
        var options = new ServeApiOptions
        {
            Prefix = name,
            BinaryName = name,
            BaseUrl = url,
            // An auto-launched daemon inherits the gateway's environment (as read at start-up).
            LaunchEnvironment = settings.Server.Environment.Count > 0 ? settings.Server.Environment : null,
        };
        settings.For(typeof(ServeApiOptions)).Bind(options);
        return options;
    }

    private static string? Variable(GatewaySettings settings, string name) =>
        settings.Server.Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static OpenAICompatibleOptions OpenAICompatible(GatewaySettings settings, OpenAICompatibleOptions options)
    {
        settings.For(typeof(OpenAICompatibleOptions)).Bind(options);
        return options;
    }
}
