namespace AcpToApi.Configuration;

/// <summary>
/// The gateway's own settings (the backends' are on their options in Core). Each [Setting] property is one setting:
/// its name is the config-file key, its attribute the flag, environment variable and README meaning.
/// </summary>
internal sealed record ServerOptions
{
    [Setting("--port", "PORT", "port to listen on", Alias = "-p", Minimum = 0, Maximum = 65535)]
    public int Port { get; set; } = 4800;

    [Setting("--host", "ACPTOAPI_HOST", "address to bind")]
    public string Host { get; set; } = "127.0.0.1";

    [Setting("--kilo", "ACPTOAPI_KILO_URL", "Kilo Code `kilo serve` URL")]
    public Uri Kilo { get; set; } = new("http://127.0.0.1:4780");

    [Setting("--opencode", "ACPTOAPI_OPENCODE_URL", "opencode `opencode serve` URL")]
    public Uri Opencode { get; set; } = new("http://127.0.0.1:4790");

    /// <summary>When set, every request must present this key (Bearer, x-api-key, x-goog-api-key or ?key=).</summary>
    [Setting("--api-key", "ACPTOAPI_API_KEY", "require this key from every client")]
    public string? ApiKey { get; set; }

    /// <summary>Allows binding a non-loopback address without an API key.</summary>
    [Setting("--allow-remote-without-key", "ACPTOAPI_ALLOW_REMOTE_WITHOUT_KEY", "allow a non-loopback `--host` without a key")]
    public bool AllowRemoteWithoutKey { get; set; }

    [Setting("--max-body-bytes", "ACPTOAPI_MAX_BODY_BYTES", "largest request body (413 above it)", Minimum = 1024)]
    public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Silence after which a started stream gets a keep-alive (SSE comment, Anthropic ping).</summary>
    [Setting("--keep-alive", "ACPTOAPI_KEEP_ALIVE",
        "seconds of silence before a started stream gets a keep-alive (`: keep-alive` comment, Anthropic `ping`)", Positive = true)]
    public double KeepAliveSeconds { get; set; } = 10;

    /// <summary>The backend prefix that bare <c>claude-*</c> model names from Anthropic clients route to.</summary>
    [Setting("--anthropic-model-backend", "ACPTOAPI_ANTHROPIC_MODEL_BACKEND", "backend prefix for bare `claude-*` model names on `/v1/messages`")]
    public string AnthropicModelBackend { get; set; } = "claude";

    /// <summary>Browser origins allowed by CORS; empty means CORS stays closed.</summary>
    [Setting("--cors-origin", "ACPTOAPI_CORS_ORIGINS", "browser origins allowed by CORS")]
    public List<string> CorsOrigins { get; set; } = [];

    [Setting("--log-level", "ACPTOAPI_LOG_LEVEL", "`Trace`, `Debug`, `Information`, `Warning`, `Error`",
        OneOf = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"])]
    public string LogLevel { get; set; } = "Information";

    /// <summary>
    /// Runs request handling on the socket threads (Kestrel's inline scheduling and the runtime's inline socket
    /// completions) instead of handing every read to the thread pool: fewer thread switches per request. On by default.
    /// </summary>
    [Setting("--inline-io", "ACPTOAPI_INLINE_IO",
        "handle each request on the socket thread that read it instead of the thread pool: fewer thread switches; "
        + "`false` if heavy work in one request should not hold up other connections")]
    public bool InlineIo { get; set; } = true;

    /// <summary>How many finished responses /v1/responses keeps for previous_response_id and GET (oldest dropped first); 0 keeps none.</summary>
    [Setting("--responses-store-size", "ACPTOAPI_RESPONSES_STORE_SIZE",
        "finished `/v1/responses` answers kept in memory for `previous_response_id` and `GET /v1/responses/{id}` (oldest dropped first; `0` keeps none)",
        Minimum = 0, Maximum = 100000)]
    public int ResponsesStoreSize { get; set; } = 200;

    [Setting("--responses-store-ttl", "ACPTOAPI_RESPONSES_STORE_TTL", "seconds a stored `/v1/responses` answer is kept", Positive = true)]
    public double ResponsesStoreTtlSeconds { get; set; } = 3600;

    /// <summary>How long shutdown may take: in-flight answers end at once with the protocol's error; connections still open after this are closed.</summary>
    [Setting("--shutdown-timeout", "ACPTOAPI_SHUTDOWN_TIMEOUT",
        "seconds a shutdown (SIGTERM, Ctrl+C) may take: answers in flight end at once with the protocol's error, child processes stop, connections still open after this are closed",
        Positive = true)]
    public double ShutdownTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds of idling after requests before the server gives memory from a burst back (0: never).</summary>
    [Setting("--idle-memory-trim", "ACPTOAPI_IDLE_MEMORY_TRIM",
        "seconds without requests, after some, before memory a burst used is given back to the system (one full garbage collection; the program also runs one as soon as it listens, for what start-up allocated); `0` never",
        Minimum = 0)]
    public double IdleMemoryTrimSeconds { get; set; } = 20;

    [Setting("--config", "ACPTOAPI_CONFIG", "path of the JSON config file (comments allowed)", InConfigFile = false)]
    public string? Config { get; set; }

    /// <summary>User-defined OpenAI-compatible endpoints from the config file.</summary>
    [Setting(null, null, "your own OpenAI-compatible servers: a list of `{ \"prefix\", \"baseUrl\", \"apiKeyEnv\" }` (see above)")]
    public List<ProviderEntry> Providers { get; set; } = [];

    /// <summary>The process environment as read at start-up (keys, base URLs); injectable for tests. Not a setting.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(KeepAliveSeconds);

    public bool IsLoopbackBinding => Host is "127.0.0.1" or "localhost" or "::1" or "[::1]" || Host.StartsWith("127.", StringComparison.Ordinal);
}
