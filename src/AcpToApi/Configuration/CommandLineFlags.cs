namespace AcpToApi.Configuration;

/// <summary>What was given on the command line; null means "not given", so lower layers decide.</summary>
public sealed record CommandLineFlags
{
    public int? Port { get; init; }
    public string? Host { get; init; }
    public string? Kilo { get; init; }
    public string? OpenCode { get; init; }
    public string? ClaudeBin { get; init; }
    public bool? ClaudeTools { get; init; }
    public bool? ClaudeAgentPrompt { get; init; }
    public int? ClaudeMaxConcurrency { get; init; }
    public double? ClaudeQueueTimeoutSeconds { get; init; }
    public bool? AutoLaunch { get; init; }
    public string? AgentPermission { get; init; }
    public string? ApiKey { get; init; }
    public string? AnthropicModelBackend { get; init; }
    public bool? AllowRemoteWithoutKey { get; init; }
    public bool? InlineIo { get; init; }
    public long? MaxBodyBytes { get; init; }
    public double? IdleTimeoutSeconds { get; init; }
    public double? KeepAliveSeconds { get; init; }
    public IReadOnlyList<string>? CorsOrigins { get; init; }
    public string? LogLevel { get; init; }
    public string? ConfigFile { get; init; }
}
