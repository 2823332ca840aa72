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
        if (status is not ("running" or "completed" or "error"))
        {
            // pending: the model is still writing the arguments; the call is announced once its input is known.
            return;
        }
        var callId = String(part, "callID") ?? partId;
        var name = String(part, "tool") ?? "tool";
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

    private void OnStepFinish(string partId, JsonElement part)
    {
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
