using System.Text;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>The <c>user</c> (tool results) and <c>result</c> lines, and small JSON readers.</summary>
public sealed partial class ClaudeStreamTranslator
{
    private void TranslateToolResults(JsonElement message, List<ChatEvent> events)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var block in content.EnumerateArray())
        {
            if (GetString(block, "type") != "tool_result")
            {
                continue;
            }
            var id = GetString(block, "tool_use_id");
            EnsureStarted(events);
            CloseOpen(events);
            var index = _nextIndex++;
            events.Add(new BlockStarted(index, BlockKind.ToolResult, id, id is not null && _toolNames.TryGetValue(id, out var name) ? name : null));
            var text = ToolResultText(block);
            if (text.Length > 0)
            {
                events.Add(new TextDelta(index, text));
            }
            events.Add(new BlockStopped(index));
        }
    }

    private void TranslateResult(JsonElement result, List<ChatEvent> events)
    {
        if (result.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            throw ClaudeErrorMapper.FromResult(GetInt(result, "api_error_status"), GetString(result, "result"));
        }
        if (!_started)
        {
            // Without partial messages there are no stream events: fall back to the final text.
            EnsureStarted(events);
            if (GetString(result, "result") is { Length: > 0 } text)
            {
                var index = _nextIndex++;
                events.Add(new BlockStarted(index, BlockKind.Text));
                events.Add(new TextDelta(index, text));
                events.Add(new BlockStopped(index));
            }
        }
        CloseOpen(events);
        var usage = result.TryGetProperty("usage", out var total) && total.ValueKind == JsonValueKind.Object
            ? new ChatUsage(InputTokens(total), GetInt(total, "output_tokens") ?? _outputTokens,
                CacheReadTokens: GetInt(total, "cache_read_input_tokens"), CacheWriteTokens: GetInt(total, "cache_creation_input_tokens"))
            : new ChatUsage(_inputTokens, _outputTokens);
        events.Add(new UsageReported(usage));
        // The result's stop reason is the last turn's: end_turn when the agent finished its own loop.
        events.Add(new ResponseCompleted(new StopReason(GetString(result, "stop_reason") ?? _lastStopReason ?? StopReason.EndTurn.Value)));
        Completed = true;
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
            if (GetString(part, "type") == "text" && GetString(part, "text") is { } value)
            {
                text.Append(value);
            }
            else if (GetString(part, "type") is { } other)
            {
                text.Append('[').Append(other).Append(']');
            }
        }
        return text.ToString();
    }

    /// <summary>Prompt tokens as OpenAI counts them: fresh input plus cache reads and writes.</summary>
    private static int InputTokens(JsonElement usage) =>
        (GetInt(usage, "input_tokens") ?? 0) + (GetInt(usage, "cache_read_input_tokens") ?? 0) + (GetInt(usage, "cache_creation_input_tokens") ?? 0);

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var number)
            ? number
            : null;
}
