namespace AcpToApi.Configuration;

/// <summary>The environment variable behind each flag (documented in the README's settings table).</summary>
public static class EnvironmentVariables
{
    public const string Port = "PORT";
    public const string Host = "ACPTOAPI_HOST";
    public const string Kilo = "ACPTOAPI_KILO_URL";
    public const string OpenCode = "ACPTOAPI_OPENCODE_URL";
    public const string ClaudeBin = "ACPTOAPI_CLAUDE_BIN";
    public const string ClaudeTools = "ACPTOAPI_CLAUDE_TOOLS";
    public const string ClaudeAgentPrompt = "ACPTOAPI_CLAUDE_AGENT_PROMPT";
    public const string ClaudeMaxConcurrency = "ACPTOAPI_CLAUDE_MAX_CONCURRENCY";
    public const string ClaudeQueueTimeout = "ACPTOAPI_CLAUDE_QUEUE_TIMEOUT";
    public const string AutoLaunch = "ACPTOAPI_AUTO_LAUNCH";
    public const string AgentPermission = "ACPTOAPI_AGENT_PERMISSION";
    public const string ApiKey = "ACPTOAPI_API_KEY";
    public const string AnthropicModelBackend = "ACPTOAPI_ANTHROPIC_MODEL_BACKEND";
    public const string AllowRemoteWithoutKey = "ACPTOAPI_ALLOW_REMOTE_WITHOUT_KEY";
    public const string MaxBodyBytes = "ACPTOAPI_MAX_BODY_BYTES";
    public const string IdleTimeout = "ACPTOAPI_IDLE_TIMEOUT";
    public const string KeepAlive = "ACPTOAPI_KEEP_ALIVE";
    public const string CorsOrigins = "ACPTOAPI_CORS_ORIGINS";
    public const string LogLevel = "ACPTOAPI_LOG_LEVEL";
    public const string InlineIo = "ACPTOAPI_INLINE_IO";
    public const string Config = "ACPTOAPI_CONFIG";
}
