using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>
/// Client side: Anthropic Messages stream events (<c>message_start</c>, <c>content_block_*</c>, <c>message_delta</c>,
/// <c>message_stop</c>, <c>error</c>) into <paramref name="output"/>. The one reader of this protocol: the
/// <c>anthropic/</c> backend feeds it SSE events, the Claude Code CLI its <c>stream_event</c> lines.
/// </summary>
/// <remarks>
/// An agent loop (the CLI) sends several messages in one response: block keys carry the message number, so upstream
/// indexes that restart at 0 still open new blocks, and usage is summed over the messages (within one message it is
/// cumulative, so later reports replace earlier ones). Input tokens count cache reads and writes too, as
/// <see cref="ChatUsage"/> defines them. Server-tool and redacted-thinking blocks carry nothing another protocol can
/// show and are skipped. A frame of the wrong shape is the upstream's failure (see <see cref="UpstreamFrame"/>).
/// </remarks>
internal sealed class AnthropicStreamTranslator(ChatEventBuilder output, string upstreamName, bool completeOnMessageStop = true, Func<string, string>? toolName = null)
{
    private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);
    private ChatUsage _earlierMessages = new(0, 0);
    private int _inputTokens;
    private int _outputTokens;
    private int? _cacheRead;
    private int? _cacheWrite;
    private int _message;

    /// <summary>The stop reason of the last message, once its <c>message_delta</c> has arrived.</summary>
    public StopReason? StopReason { get; private set; }

    /// <summary>The matched stop sequence when the last message stopped on one.</summary>
    public string? StopSequence { get; private set; }

    /// <summary>Usage so far, summed over the messages of the response.</summary>
    public ChatUsage Usage => new(
        _earlierMessages.InputTokens + _inputTokens,
        _earlierMessages.OutputTokens + _outputTokens,
        null,
        Sum(_earlierMessages.CacheReadTokens, _cacheRead),
        Sum(_earlierMessages.CacheWriteTokens, _cacheWrite));

    /// <summary>The name of each tool call seen, by call id (for the results an agent reports later).</summary>
    public IReadOnlyDictionary<string, string> ToolNames => _toolNames;

    public void Translate(JsonElement data)
    {
        switch (Str(data, "type"))
        {
            case "message_start":
                var message = data.GetProperty("message");
                if (_message++ > 0)
                {
                    _earlierMessages = Usage;
                    _inputTokens = _outputTokens = 0;
                    _cacheRead = _cacheWrite = null;
                }
                output.Start(Str(message, "id"), Str(message, "model"));
                ReadUsage(message);
                output.Usage(Usage);
                break;
            case "content_block_start":
                StartBlock(Key(data), data.GetProperty("content_block"));
                break;
            case "content_block_delta":
                Delta(Key(data), data.GetProperty("delta"));
                break;
            case "content_block_stop":
                output.Close(Key(data));
                break;
            case "message_delta":
                if (data.TryGetProperty("delta", out var delta))
                {
                    if (Str(delta, "stop_reason") is { } reason)
                    {
                        StopReason = new StopReason(reason);
                    }
                    StopSequence = Str(delta, "stop_sequence");
                }
                ReadUsage(data);
                output.Usage(Usage);
                break;
            case "message_stop" when completeOnMessageStop:
                output.Complete(StopReason ?? Streaming.StopReason.EndTurn, StopSequence);
                break;
            case "error":
                var error = data.TryGetProperty("error", out var e) ? e : data;
                throw new ChatBackendException(KindFor(Str(error, "type")), $"{upstreamName} reported an error mid-stream: {Str(error, "message") ?? "unknown error"}");
        }
    }

    private BlockKey Key(JsonElement data) => new(_message, data.GetProperty("index").GetInt32());

    private void StartBlock(BlockKey key, JsonElement block)
    {
        switch (Str(block, "type"))
        {
            case "text":
                // Non-streamed content may come in the start event itself.
                output.Text(Str(block, "text") ?? "", key);
                break;
            case "thinking":
                output.Reasoning(Str(block, "thinking") ?? "", key);
                break;
            case "tool_use":
                var id = Str(block, "id") ?? "";
                var name = Str(block, "name") ?? "";
                name = toolName?.Invoke(name) ?? name;
                _toolNames[id] = name;
                output.ToolCall(id, name, key);
                break;
        }
    }

    private void Delta(BlockKey key, JsonElement delta)
    {
        switch (Str(delta, "type"))
        {
            case "text_delta":
                output.Text(Str(delta, "text") ?? "", key);
                break;
            case "thinking_delta":
                output.Reasoning(Str(delta, "thinking") ?? "", key);
                break;
            case "signature_delta":
                output.Signature(Str(delta, "signature") ?? "", key);
                break;
            case "input_json_delta":
                output.ToolArguments(Str(delta, "partial_json") ?? "", key);
                break;
        }
    }

    private void ReadUsage(JsonElement holder)
    {
        if (!holder.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        _cacheRead = Int(usage, "cache_read_input_tokens") ?? _cacheRead;
        _cacheWrite = Int(usage, "cache_creation_input_tokens") ?? _cacheWrite;
        if (Int(usage, "input_tokens") is { } input)
        {
            _inputTokens = input + (_cacheRead ?? 0) + (_cacheWrite ?? 0);
        }
        _outputTokens = Int(usage, "output_tokens") ?? _outputTokens;
    }

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

    private static int? Sum(int? a, int? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var number) ? number : null;

    /// <summary>A block's identity: the message it belongs to and its upstream index there.</summary>
    private sealed record BlockKey(int Message, int Index);
}
