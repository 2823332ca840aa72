using System.Text;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>The <c>user</c> (tool results) and <c>result</c> lines.</summary>
internal sealed partial class ClaudeStreamTranslator
{
    private void TranslateToolResults(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var block in content.EnumerateArray())
        {
            if (Str(block, "type") != "tool_result")
            {
                continue;
            }
            var id = Str(block, "tool_use_id");
            if (id is not null && _session?.IsClientCall(id) == true)
            {
                continue; // the client's own result, which it already has
            }
            _output.ToolResult(id, id is not null && _messages.ToolNames.TryGetValue(id, out var name) ? name : null, ToolResultText(block));
        }
    }

    private void TranslateResult(JsonElement result)
    {
        if (result.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            throw ClaudeErrorMapper.FromResult(Int(result, "api_error_status"), Str(result, "result"));
        }
        if (!_output.Started)
        {
            // Without partial messages there are no stream events: fall back to the final text.
            _output.Text(Str(result, "result") ?? "");
        }
        _output.CloseAll();
        var usage = result.TryGetProperty("usage", out var total) && total.ValueKind == JsonValueKind.Object
            ? Usage(total)
            : _messages.Usage;
        // A turn that parked on client tools spans several responses; each reports only its own share.
        _output.Usage(Minus(usage, _session?.TurnUsageReported));
        if (_session is not null)
        {
            _session.TurnUsageReported = null;
        }
        // The result's stop reason is the last turn's: end_turn when the agent finished its own loop.
        var stopReason = Str(result, "stop_reason") is { } reason ? new StopReason(reason) : _messages.StopReason ?? StopReason.EndTurn;
        _output.Complete(stopReason, stopReason == StopReason.StopSequence ? _messages.StopSequence : null);
    }

    private static ChatUsage Plus(ChatUsage? a, ChatUsage b) => a is null ? b : new ChatUsage(
        a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, null,
        a.CacheReadTokens is null && b.CacheReadTokens is null ? null : (a.CacheReadTokens ?? 0) + (b.CacheReadTokens ?? 0),
        a.CacheWriteTokens is null && b.CacheWriteTokens is null ? null : (a.CacheWriteTokens ?? 0) + (b.CacheWriteTokens ?? 0));

    private static ChatUsage Minus(ChatUsage total, ChatUsage? reported) => reported is null ? total : new ChatUsage(
        Math.Max(0, total.InputTokens - reported.InputTokens),
        Math.Max(0, total.OutputTokens - reported.OutputTokens),
        total.ReasoningTokens,
        total.CacheReadTokens is { } read ? Math.Max(0, read - (reported.CacheReadTokens ?? 0)) : null,
        total.CacheWriteTokens is { } write ? Math.Max(0, write - (reported.CacheWriteTokens ?? 0)) : null);

    /// <summary>The result's totals; prompt tokens count fresh input plus cache reads and writes.</summary>
    private ChatUsage Usage(JsonElement total)
    {
        var cacheRead = Int(total, "cache_read_input_tokens");
        var cacheWrite = Int(total, "cache_creation_input_tokens");
        return new ChatUsage(
            (Int(total, "input_tokens") ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
            Int(total, "output_tokens") ?? _messages.Usage.OutputTokens,
            CacheReadTokens: cacheRead,
            CacheWriteTokens: cacheWrite);
    }

    private static string ToolResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content))
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? "";
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return content.GetRawText();
        }
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (Str(part, "type") == "text" && Str(part, "text") is { } value)
            {
                text.Append(value);
            }
            else if (Str(part, "type") is { } other)
            {
                text.Append('[').Append(other).Append(']');
            }
        }
        return text.ToString();
    }
}
