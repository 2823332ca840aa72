using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.OpenCode;

/// <summary>Tool parts and step accounting.</summary>
internal sealed partial class ServeStreamTranslator
{
    private void OnToolPart(string partId, JsonElement part)
    {
        if (!part.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var status = String(state, "status");
        if (status == "pending" && ServeClientTools.ClientName(clientToolServer, String(part, "tool") ?? "", clientTools ?? []) is { } pendingName)
        {
            // The model is still writing a client call's arguments: the turn must not park before it is known.
            _clientCalls.TryAdd(partId, new ServeClientCall(String(part, "callID") ?? partId, pendingName));
            return;
        }
        if (status is not ("running" or "completed" or "error"))
        {
            // pending: the model is still writing the arguments; the call is announced once its input is known.
            return;
        }
        var callId = String(part, "callID") ?? partId;
        var name = String(part, "tool") ?? "tool";
        if (ServeClientTools.ClientName(clientToolServer, name, clientTools ?? []) is { } clientName)
        {
            OnClientToolPart(partId, callId, clientName, status, state);
            return;
        }
        _stepSentOutput = true;
        if (_toolCallsSent.Add(partId))
        {
            output.ToolCall(callId, name, partId);
            output.ToolArguments(state.TryGetProperty("input", out var i) && i.ValueKind == JsonValueKind.Object ? i.GetRawText() : "{}", partId);
            output.Close(partId);
        }
        if (status is "completed" or "error" && _toolResultsSent.Add(partId))
        {
            var result = status == "completed" ? String(state, "output") ?? "" : "error: " + (String(state, "error") ?? "the tool failed");
            output.ToolResult(callId, name, result);
        }
    }

    /// <summary>
    /// A call of a client tool: announced to the client under its own name once its input is known; its result is the
    /// client's, so it is never folded into the content.
    /// </summary>
    private void OnClientToolPart(string partId, string callId, string clientName, string? status, JsonElement state)
    {
        if (!_clientCalls.TryGetValue(partId, out var call))
        {
            call = new ServeClientCall(callId, clientName);
            _clientCalls[partId] = call;
        }
        if (status == "running" && call.State == ServeClientCallState.Pending)
        {
            call.InputJson = state.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "{}";
            call.State = ServeClientCallState.Running;
            _stepSentOutput = true;
            output.ToolCall(callId, clientName, partId);
            output.ToolArguments(call.InputJson, partId);
            output.Close(partId);
        }
        else if (status is "completed" or "error")
        {
            // Answered (or failed before it ran, e.g. arguments the daemon rejected: the agent deals with that itself).
            call.State = ServeClientCallState.Done;
        }
    }

    /// <summary>The client-tool calls of this turn, in the order the model made them.</summary>
    public IEnumerable<ServeClientCall> ClientCalls => _clientCalls.Values;

    private void OnStepFinish(string partId, JsonElement part)
    {
        _stepSentOutput = false;
        _lastStepReason = String(part, "reason");
        if (!part.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        int Count(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? (int)value.GetDouble()
                : 0;
        var cache = tokens.TryGetProperty("cache", out var c) ? c : default;
        _stepUsage[partId] = new ChatUsage(Count(tokens, "input"), Count(tokens, "output"), Count(tokens, "reasoning"), Count(cache, "read"), Count(cache, "write"));
    }

    private ChatUsage SumUsage()
    {
        // opencode counts cache reads and writes apart from input; ChatUsage counts them in.
        var steps = _stepUsage.Values;
        return new ChatUsage(
            steps.Sum(u => u.InputTokens + (u.CacheReadTokens ?? 0) + (u.CacheWriteTokens ?? 0)),
            steps.Sum(u => u.OutputTokens),
            steps.Sum(u => u.ReasoningTokens ?? 0),
            steps.Sum(u => u.CacheReadTokens ?? 0),
            steps.Sum(u => u.CacheWriteTokens ?? 0));
    }
}
