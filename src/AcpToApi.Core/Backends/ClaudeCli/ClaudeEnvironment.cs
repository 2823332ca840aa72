namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// The child's environment: built from nothing, so none of the server's other variables (keys of other
/// backends, our own settings) leak into the CLI. Only what the CLI needs to run and to authenticate is copied.
/// </summary>
internal static class ClaudeEnvironment
{
    /// <summary>Copied when present: process basics, locale, Claude auth/config, cloud providers, proxies and certificates.</summary>
    private static readonly string[] Exact =
    [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TMPDIR", "TZ", "TERM",
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
        "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_CUSTOM_HEADERS",
        "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_BEDROCK_BASE_URL", "ANTHROPIC_VERTEX_BASE_URL", "ANTHROPIC_VERTEX_PROJECT_ID",
        "CLAUDE_CONFIG_DIR", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX",
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH", "CLAUDE_CODE_SKIP_VERTEX_AUTH", "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "CLAUDE_CODE_MAX_RETRIES",
        "CLAUDE_CODE_API_KEY_HELPER_TTL_MS", "CLAUDE_CODE_CLIENT_CERT", "CLAUDE_CODE_CLIENT_KEY", "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE",
        "MAX_THINKING_TOKENS", "API_TIMEOUT_MS", "CLOUD_ML_REGION", "GOOGLE_APPLICATION_CREDENTIALS",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "ALL_PROXY", "all_proxy",
        "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
    ];

    /// <summary>Copied when the name starts with one of these (locale and cloud credentials).</summary>
    private static readonly string[] Prefixes = ["LC_", "AWS_", "VERTEX_REGION_", "GOOGLE_CLOUD_", "GCLOUD_"];

    /// <summary>Always set: no telemetry, no auto-update, no error reports, no side traffic such as session titles.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fixed = new Dictionary<string, string>
    {
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        ["DISABLE_AUTOUPDATER"] = "1",
        ["DISABLE_TELEMETRY"] = "1",
        ["DISABLE_ERROR_REPORTING"] = "1",
        ["CLAUDE_CODE_DISABLE_TERMINAL_TITLE"] = "1",
        // The gateway's MCP server (client tools) is connected before the first model request, never deferred behind a
        // tool search, and a call parked for the client is not cut by the CLI's idle timer (progress notifications keep
        // the connection alive; the gateway's own park timeout bounds the wait).
        ["MCP_CONNECTION_NONBLOCKING"] = "false",
        ["MCP_CONNECT_TIMEOUT_MS"] = "30000",
        ["ENABLE_TOOL_SEARCH"] = "false",
        ["CLAUDE_CODE_MCP_TOOL_IDLE_TIMEOUT"] = "0",
    };

    /// <param name="loopToken">
    /// This gateway's <see cref="GatewayLoop"/> token, added to <c>ANTHROPIC_CUSTOM_HEADERS</c> when <c>ANTHROPIC_BASE_URL</c>
    /// is set (null: none).
    /// </param>
    public static Dictionary<string, string> Build(IReadOnlyDictionary<string, string> source, int defaultMaxRetries, string? loopToken = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in source)
        {
            if (Exact.Contains(name, StringComparer.Ordinal) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                result[name] = value;
            }
        }
        foreach (var (name, value) in Fixed)
        {
            result[name] = value;
        }
        // Retries happen inside the CLI, invisible to the client: keep them few unless the operator chose otherwise.
        result.TryAdd("CLAUDE_CODE_MAX_RETRIES", defaultMaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Only a CLI sent elsewhere than Anthropic's own API can come back here; Anthropic never sees the header.
        if (loopToken is not null && result.ContainsKey("ANTHROPIC_BASE_URL"))
        {
            result["ANTHROPIC_CUSTOM_HEADERS"] = GatewayLoop.WithHeader(result.GetValueOrDefault("ANTHROPIC_CUSTOM_HEADERS"), loopToken);
        }
        return result;
    }
}
