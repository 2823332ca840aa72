using System.Globalization;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Ollama;

/// <summary>
/// State of one <c>/api/chat</c> NDJSON stream: the open block, tool calls seen, and the id prefix
/// for the call ids Ollama does not send.
/// </summary>
internal sealed class OllamaStreamState(string upstreamName)
{
    private readonly List<ChatEvent> _events = [];
    private readonly string _callPrefix = "call_" + Guid.NewGuid().ToString("N")[..12] + "_";
    private BlockKind? _open;
    private int _next;
    private int _toolCalls;

    public bool Completed { get; private set; }

    public List<ChatEvent> Translate(JsonElement line, bool first)
    {
        _events.Clear();
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a stream line that is not a JSON object.");
        }
        if (line.TryGetProperty("error", out var error))
        {
            var text = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} reported an error mid-stream: {text}");
        }
        if (first)
        {
            _events.Add(new ResponseStarted(null, Str(line, "model")));
        }
        if (line.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            if (Str(message, "thinking") is { Length: > 0 } thinking)
            {
                var index = Open(BlockKind.Reasoning);
                _events.Add(new ReasoningDelta(index, thinking));
            }
            if (Str(message, "content") is { Length: > 0 } content)
            {
                var index = Open(BlockKind.Text);
                _events.Add(new TextDelta(index, content));
            }
            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    ToolCall(call);
                }
            }
        }
        if (line.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True)
        {
            Close();
            _events.Add(new UsageReported(new ChatUsage(Int(line, "prompt_eval_count"), Int(line, "eval_count"))));
            var reason = _toolCalls > 0 ? StopReason.ToolUse
                : Str(line, "done_reason") == "length" ? StopReason.MaxTokens
                : StopReason.EndTurn;
            _events.Add(new ResponseCompleted(reason));
            Completed = true;
        }
        return _events;
    }

    /// <summary>Ollama sends each call whole: one block with its complete arguments.</summary>
    private void ToolCall(JsonElement call)
    {
        Close();
        var function = call.TryGetProperty("function", out var f) ? f : call;
        var id = Str(call, "id") is { Length: > 0 } given ? given : _callPrefix + _toolCalls.ToString(CultureInfo.InvariantCulture);
        var index = _next++;
        _toolCalls++;
        _events.Add(new BlockStarted(index, BlockKind.ToolCall, id, Str(function, "name") ?? ""));
        var arguments = function.TryGetProperty("arguments", out var a) ? a : default;
        var json = arguments.ValueKind switch
        {
            JsonValueKind.Object => arguments.GetRawText(),
            JsonValueKind.String => arguments.GetString() ?? "{}",
            _ => "{}",
        };
        _events.Add(new ToolArgumentsDelta(index, json));
        _events.Add(new BlockStopped(index));
    }

    private int Open(BlockKind kind)
    {
        if (_open != kind)
        {
            Close();
            _open = kind;
            _events.Add(new BlockStarted(_next++, kind));
        }
        return _next - 1;
    }

    private void Close()
    {
        if (_open is not null)
        {
            _events.Add(new BlockStopped(_next - 1));
            _open = null;
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
