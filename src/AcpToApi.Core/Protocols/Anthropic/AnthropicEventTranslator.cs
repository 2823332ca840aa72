using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>State of one upstream Messages stream: usage so far, stop reason, and the block index map.</summary>
internal sealed class AnthropicEventTranslator(string upstreamName)
{
    private readonly Dictionary<int, int> _blocks = [];
    private readonly List<ChatEvent> _events = [];
    private int _inputTokens;
    private int _outputTokens;
    private int? _cacheRead;
    private int? _cacheWrite;
    private StopReason _stopReason = StopReason.EndTurn;

    public bool Completed { get; private set; }

    public List<ChatEvent> Translate(JsonElement data)
    {
        _events.Clear();
        switch (Str(data, "type"))
        {
            case "message_start":
                var message = data.GetProperty("message");
                _events.Add(new ResponseStarted(Str(message, "id"), Str(message, "model")));
                ReadUsage(message);
                _events.Add(Usage());
                break;
            case "content_block_start":
                StartBlock(data.GetProperty("index").GetInt32(), data.GetProperty("content_block"));
                break;
            case "content_block_delta" when _blocks.TryGetValue(data.GetProperty("index").GetInt32(), out var block):
                Delta(block, data.GetProperty("delta"));
                break;
            case "content_block_stop" when _blocks.TryGetValue(data.GetProperty("index").GetInt32(), out var block):
                _events.Add(new BlockStopped(block));
                break;
            case "message_delta":
                if (data.TryGetProperty("delta", out var delta) && Str(delta, "stop_reason") is { } reason)
                {
                    _stopReason = new StopReason(reason);
                }
                ReadUsage(data);
                _events.Add(Usage());
                break;
            case "message_stop":
                _events.Add(new ResponseCompleted(_stopReason));
                Completed = true;
                break;
            case "error":
                var error = data.TryGetProperty("error", out var e) ? e : data;
                throw new ChatBackendException(KindFor(Str(error, "type")), $"{upstreamName} reported an error mid-stream: {Str(error, "message") ?? "unknown error"}");
        }
        return _events;
    }

    private void StartBlock(int upstreamIndex, JsonElement block)
    {
        var kind = Str(block, "type") switch
        {
            "text" => BlockKind.Text,
            "thinking" => BlockKind.Reasoning,
            "tool_use" => BlockKind.ToolCall,
            _ => (BlockKind?)null, // server tools, redacted thinking: nothing another protocol can carry
        };
        if (kind is not { } k)
        {
            return;
        }
        var index = _blocks.Count;
        _blocks[upstreamIndex] = index;
        _events.Add(k == BlockKind.ToolCall
            ? new BlockStarted(index, k, Str(block, "id"), Str(block, "name"))
            : new BlockStarted(index, k));
        // Non-streamed content carried in the start event itself.
        if (k == BlockKind.Text && Str(block, "text") is { Length: > 0 } text)
        {
            _events.Add(new TextDelta(index, text));
        }
    }

    private void Delta(int block, JsonElement delta)
    {
        switch (Str(delta, "type"))
        {
            case "text_delta":
                _events.Add(new TextDelta(block, Str(delta, "text") ?? ""));
                break;
            case "thinking_delta":
                _events.Add(new ReasoningDelta(block, Str(delta, "thinking") ?? ""));
                break;
            case "signature_delta":
                _events.Add(new SignatureDelta(block, Str(delta, "signature") ?? ""));
                break;
            case "input_json_delta":
                _events.Add(new ToolArgumentsDelta(block, Str(delta, "partial_json") ?? ""));
                break;
        }
    }

    private void ReadUsage(JsonElement holder)
    {
        if (!holder.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        _inputTokens = Int(usage, "input_tokens") ?? _inputTokens;
        _outputTokens = Int(usage, "output_tokens") ?? _outputTokens;
        _cacheRead = Int(usage, "cache_read_input_tokens") ?? _cacheRead;
        _cacheWrite = Int(usage, "cache_creation_input_tokens") ?? _cacheWrite;
    }

    private UsageReported Usage() => new(new ChatUsage(_inputTokens, _outputTokens, null, _cacheRead, _cacheWrite));

    public static ChatErrorKind KindFor(string? type) => type switch
    {
        "invalid_request_error" => ChatErrorKind.BadRequest,
        "authentication_error" => ChatErrorKind.Authentication,
        "permission_error" => ChatErrorKind.PermissionDenied,
        "not_found_error" => ChatErrorKind.NotFound,
        "request_too_large" => ChatErrorKind.RequestTooLarge,
        "rate_limit_error" => ChatErrorKind.RateLimited,
        "overloaded_error" => ChatErrorKind.Unavailable,
        "timeout_error" => ChatErrorKind.Timeout,
        _ => ChatErrorKind.UpstreamError,
    };

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
