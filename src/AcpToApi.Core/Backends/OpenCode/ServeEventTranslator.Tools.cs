using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.OpenCode;

/// <summary>Tool parts and step accounting.</summary>
public sealed partial class ServeEventTranslator
{
    private void OnToolPart(string partId, JsonElement part, List<ChatEvent> output)
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
            CloseBlock(output);
            EnsureStarted(output);
            var index = _nextIndex++;
            output.Add(new BlockStarted(index, BlockKind.ToolCall, callId, name));
            var input = state.TryGetProperty("input", out var i) && i.ValueKind == JsonValueKind.Object ? i.GetRawText() : "{}";
            output.Add(new ToolArgumentsDelta(index, input));
            output.Add(new BlockStopped(index));
        }
        if (status is "completed" or "error" && _toolResultsSent.Add(partId))
        {
            var result = status == "completed" ? String(state, "output") ?? "" : "error: " + (String(state, "error") ?? "the tool failed");
            CloseBlock(output);
            var index = _nextIndex++;
            output.Add(new BlockStarted(index, BlockKind.ToolResult, callId, name));
            if (result.Length > 0)
            {
                output.Add(new TextDelta(index, result));
            }
            output.Add(new BlockStopped(index));
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
        var steps = _stepUsage.Values;
        return new ChatUsage(
            steps.Sum(u => u.InputTokens),
            steps.Sum(u => u.OutputTokens),
            steps.Sum(u => u.ReasoningTokens ?? 0),
            steps.Sum(u => u.CacheReadTokens ?? 0),
            steps.Sum(u => u.CacheWriteTokens ?? 0));
    }
}
