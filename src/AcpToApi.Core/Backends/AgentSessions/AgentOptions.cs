using AcpToApi.Configuration;

namespace AcpToApi.Backends.AgentSessions;

/// <summary>What the agent backends (claude, opencode, kilo) share: how long agents wait parked or idle, and how many are kept.</summary>
internal abstract record AgentOptions : BackendOptions
{
    /// <summary>How long an agent waits, parked on a client tool call, for the client's result before it is stopped.</summary>
    [Setting("--tool-park-timeout", "ACPTOAPI_TOOL_PARK_TIMEOUT",
        "seconds an agent waits, parked on a client tool call, for the client's next request with the result; after it the agent is stopped and that request replays the history",
        Positive = true)]
    public double ToolParkTimeoutSeconds { get; set; } = 600;

    /// <summary>How long an agent that finished a turn is kept for the conversation's next turn.</summary>
    [Setting("--agent-session-idle", "ACPTOAPI_AGENT_SESSION_IDLE",
        "seconds a finished conversation's claude process is kept for its next turn (opencode/kilo start a new session for each turn); `0` keeps none", Minimum = 0)]
    public double AgentSessionIdleSeconds { get; set; } = 300;

    /// <summary>Most agents kept per backend, parked or idle; the longest-unused idle one goes first.</summary>
    [Setting("--agent-sessions-max", "ACPTOAPI_AGENT_SESSIONS_MAX",
        "most agents each agent backend keeps, parked or idle (the longest-unused idle one is stopped first)", Minimum = 1, Maximum = 1000)]
    public int AgentSessionsMax { get; set; } = 8;

    public TimeSpan ToolParkTimeout => TimeSpan.FromSeconds(ToolParkTimeoutSeconds);

    public TimeSpan AgentSessionIdle => TimeSpan.FromSeconds(AgentSessionIdleSeconds);
}
