namespace AcpToApi.Backends.ClientTools;

/// <summary>
/// One call an agent made to a client's tool, through the gateway's MCP server: the client's tool name and the model's
/// arguments. It stays open ("parked") until the client's next request brings the result, the agent gives up
/// (<see cref="Abandoned"/>), or the gateway cancels it.
/// </summary>
internal sealed class ClientToolCall(string toolName, string argumentsJson, string? callId, CancellationToken abandoned)
{
    private readonly TaskCompletionSource<ClientToolResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ToolName { get; } = toolName;

    public string ArgumentsJson { get; } = argumentsJson;

    /// <summary>The model's id for this call when the agent says it (Claude Code: <c>_meta["claudecode/toolUseId"]</c>).</summary>
    public string? CallId { get; } = callId;

    /// <summary>Fires when the agent stopped waiting (its request was aborted or timed out).</summary>
    public CancellationToken Abandoned { get; } = abandoned;

    /// <summary>The result the agent receives; faulted or cancelled when the call cannot be answered.</summary>
    public Task<ClientToolResult> Result => _result.Task;

    public bool IsAnswered => _result.Task.IsCompleted;

    /// <summary>The client's result; false when the call was already answered or cancelled.</summary>
    public bool Complete(ClientToolResult result) => _result.TrySetResult(result);

    /// <summary>Ends the call without a result (the gateway is giving up on it).</summary>
    public bool Cancel() => _result.TrySetCanceled();
}

/// <summary>What a client's tool returned, as the agent will see it.</summary>
internal sealed record ClientToolResult(string Text, bool IsError = false);
