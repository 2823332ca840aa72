using AcpToApi.Configuration;

namespace AcpToApi.Backends.OpenCode;

/// <summary>One daemon speaking the opencode serve API: <c>opencode serve</c> or its fork <c>kilo serve</c>.</summary>
internal sealed record ServeApiOptions : AgentSessions.AgentOptions
{
    /// <summary>Our model prefix and the name used in messages: <c>opencode</c> or <c>kilo</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary>The daemon's root URL, e.g. http://127.0.0.1:4790.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The executable that serves this API (for messages and auto-launch): <c>opencode</c> or <c>kilo</c>.</summary>
    public required string BinaryName { get; init; }

    /// <summary>How a <c>permission.asked</c> for our session is answered: reject (default), once or always.</summary>
    [Setting("--agent-permission", "ACPTOAPI_AGENT_PERMISSION", "answer to kilo/opencode permission requests: `reject`, `once` or `always`",
        OneOf = [ServePermissionReplies.Reject, ServePermissionReplies.Once, ServePermissionReplies.Always])]
    public string AgentPermission { get; set; } = ServePermissionReplies.Reject;

    /// <summary>How long the provider list is reused for model mapping and /v1/models.</summary>
    public TimeSpan ProvidersCacheDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When the daemon is unreachable, start <see cref="BinaryName"/> serve as a child process.</summary>
    [Setting("--auto-launch", "ACPTOAPI_AUTO_LAUNCH", "start `kilo serve` / `opencode serve` from `PATH` when they do not answer; stop them with the gateway")]
    public bool AutoLaunch { get; set; }

    /// <summary>The child's environment when auto-launched (null: inherit the gateway's).</summary>
    public IReadOnlyDictionary<string, string>? LaunchEnvironment { get; init; }

    /// <summary>The child's working directory when auto-launched (null: the gateway's current directory).</summary>
    public string? LaunchWorkingDirectory { get; init; }

    /// <summary>How long an auto-launched daemon may take to answer its health check.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether sessions the gateway created are deleted when their request ends.</summary>
    public bool DeleteSessions { get; init; } = true;

    public string DisplayName => Prefix;

    /// <summary>The command that starts this daemon on its configured port, for error messages.</summary>
    public string StartCommand => $"{BinaryName} serve --port {BaseUrl.Port} --hostname {BaseUrl.Host}";
}
