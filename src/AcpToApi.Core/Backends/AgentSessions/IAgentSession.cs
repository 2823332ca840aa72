namespace AcpToApi.Backends.AgentSessions;

/// <summary>A live agent conversation (a claude process, an opencode/kilo session) the registry can keep between requests.</summary>
internal interface IAgentSession : IAsyncDisposable
{
    /// <summary>False once the agent has gone (process exited, daemon lost the session): it must not be handed out.</summary>
    bool IsAlive { get; }
}
