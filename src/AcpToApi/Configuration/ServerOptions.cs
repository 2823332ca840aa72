namespace AcpToApi.Configuration;

/// <summary>Every setting of the server, resolved: flag &gt; environment variable &gt; config file &gt; default.</summary>
public sealed record ServerOptions
{
    public int Port { get; init; } = 4800;

    public string Host { get; init; } = "127.0.0.1";

    public Uri KiloUrl { get; init; } = new("http://127.0.0.1:4780");

    public Uri OpenCodeUrl { get; init; } = new("http://127.0.0.1:4790");

    public string ClaudeBin { get; init; } = "claude";

    /// <summary>Lets Claude Code use its own tools (Bash, Edit, …) in the per-request directory. Off by default; warned about at start-up.</summary>
    public bool ClaudeTools { get; init; }

    /// <summary>Keeps Claude Code's agent prompt and appends the client's system message, instead of replacing it.</summary>
    public bool ClaudeAgentPrompt { get; init; }

    /// <summary>Most claude processes running at once; requests past it wait <see cref="ClaudeQueueTimeout"/>, then get 429.</summary>
    public int ClaudeMaxConcurrency { get; init; } = 4;

    public TimeSpan ClaudeQueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The backend prefix that bare <c>claude-*</c> model names from Anthropic clients route to.</summary>
    public string AnthropicModelBackend { get; init; } = "claude";

    /// <summary>Start <c>kilo serve</c> / <c>opencode serve</c> as children when they do not answer (binary on PATH).</summary>
    public bool AutoLaunch { get; init; }

    /// <summary>How the gateway answers an agent's permission request: reject (default), once or always.</summary>
    public string AgentPermission { get; init; } = "reject";

    /// <summary>When set, every request must present this key (Bearer, x-api-key, x-goog-api-key or ?key=).</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Runs request handling on the socket threads (Kestrel's inline scheduling and the runtime's inline socket
    /// completions) instead of handing every read to the thread pool: fewer thread switches per request. On by default.
    /// </summary>
    public bool InlineIo { get; init; } = true;

    /// <summary>Allows binding a non-loopback address without an API key.</summary>
    public bool AllowRemoteWithoutKey { get; init; }

    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Longest silence allowed from a backend while a response is in progress.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Silence after which a started stream gets a keep-alive (SSE comment, Anthropic ping).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Browser origins allowed by CORS; empty means CORS stays closed.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    public string LogLevel { get; init; } = "Information";

    public string? ConfigFile { get; init; }

    /// <summary>User-defined OpenAI-compatible endpoints from the config file.</summary>
    public IReadOnlyList<ProviderEntry> Providers { get; init; } = [];

    /// <summary>The process environment as read at start-up (keys, base URLs); injectable for tests.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool IsLoopbackBinding => Host is "127.0.0.1" or "localhost" or "::1" or "[::1]" || Host.StartsWith("127.", StringComparison.Ordinal);
}
