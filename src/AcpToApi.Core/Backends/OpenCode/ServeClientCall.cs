namespace AcpToApi.Backends.OpenCode;

/// <summary>One call the model made to a client tool, as the daemon's tool part shows it.</summary>
internal sealed class ServeClientCall(string callId, string clientName)
{
    /// <summary>The model's call id: the id the client sees and answers with.</summary>
    public string CallId { get; } = callId;

    public string ClientName { get; } = clientName;

    /// <summary>The arguments, once the call runs.</summary>
    public string? InputJson { get; set; }

    public ServeClientCallState State { get; set; }
}

internal enum ServeClientCallState
{
    /// <summary>The model is still writing the arguments.</summary>
    Pending,

    /// <summary>The daemon runs it: its MCP call to the gateway waits for the client's result.</summary>
    Running,

    /// <summary>Answered, or failed in the daemon.</summary>
    Done,
}
