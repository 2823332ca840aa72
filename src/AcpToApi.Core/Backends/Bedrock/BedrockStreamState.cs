using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// State of one ConverseStream response. Text and reasoning blocks have no start event (their first
/// delta opens them); tool blocks start with their id and name. <c>metadata</c> (usage) comes after
/// <c>messageStop</c>, so completion is reported after it, or at the end of the stream.
/// </summary>
internal sealed class BedrockStreamState(string upstreamName, string model)
{
    private readonly Dictionary<int, int> _blocks = [];
    private readonly List<ChatEvent> _events = [];
    private int? _open;
    private bool _started;
    private StopReason? _stopReason;

    public bool Completed { get; private set; }

    public List<ChatEvent> Translate(BedrockStreamMessage message)
    {
        _events.Clear();
        if (message.MessageType != "event")
        {
            throw Exception(message);
        }
        var data = Parse(message.Payload);
        if (!_started)
        {
            _started = true;
            _events.Add(new ResponseStarted(null, model));
        }
        switch (message.EventType)
        {
            case "contentBlockStart" when data.TryGetProperty("start", out var start) && start.TryGetProperty("toolUse", out var toolUse):
                OpenBlock(Index(data), BlockKind.ToolCall, Str(toolUse, "toolUseId"), Str(toolUse, "name"));
                break;
            case "contentBlockDelta" when data.TryGetProperty("delta", out var delta):
                Delta(Index(data), delta);
                break;
            case "contentBlockStop":
                if (_blocks.TryGetValue(Index(data), out var stopped) && _open == stopped)
                {
                    _events.Add(new BlockStopped(stopped));
                    _open = null;
                }
                break;
            case "messageStop":
                CloseOpen();
                _stopReason = Str(data, "stopReason") switch
                {
                    "tool_use" => StopReason.ToolUse,
                    "max_tokens" or "model_context_window_exceeded" => StopReason.MaxTokens,
                    "stop_sequence" => StopReason.StopSequence,
                    "content_filtered" or "guardrail_intervened" => StopReason.Refusal,
                    _ => StopReason.EndTurn,
                };
                break;
            case "metadata" when data.TryGetProperty("usage", out var usage):
                _events.Add(new UsageReported(new ChatUsage(Int(usage, "inputTokens"), Int(usage, "outputTokens"), null,
                    NullableInt(usage, "cacheReadInputTokens"), NullableInt(usage, "cacheWriteInputTokens"))));
                Complete();
                break;
        }
        return _events;
    }

    /// <summary>At the end of the body: complete if messageStop was seen, else the stream was cut.</summary>
    public List<ChatEvent> Finish()
    {
        _events.Clear();
        if (_stopReason is null)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} closed the stream before messageStop.");
        }
        Complete();
        return _events;
    }

    private void Complete()
    {
        if (_stopReason is { } reason && !Completed)
        {
            _events.Add(new ResponseCompleted(reason));
            Completed = true;
        }
    }

    private void Delta(int upstreamIndex, JsonElement delta)
    {
        if (Str(delta, "text") is { } text)
        {
            _events.Add(new TextDelta(Block(upstreamIndex, BlockKind.Text), text));
        }
        else if (delta.TryGetProperty("toolUse", out var toolUse) && Str(toolUse, "input") is { } input)
        {
            _events.Add(new ToolArgumentsDelta(Block(upstreamIndex, BlockKind.ToolCall), input));
        }
        else if (delta.TryGetProperty("reasoningContent", out var reasoning))
        {
            var block = Block(upstreamIndex, BlockKind.Reasoning);
            if (Str(reasoning, "text") is { } thinking) _events.Add(new ReasoningDelta(block, thinking));
            if (Str(reasoning, "signature") is { } signature) _events.Add(new SignatureDelta(block, signature));
        }
    }

    private int Block(int upstreamIndex, BlockKind kind) =>
        _blocks.TryGetValue(upstreamIndex, out var index) && _open == index ? index : OpenBlock(upstreamIndex, kind, null, null);

    private int OpenBlock(int upstreamIndex, BlockKind kind, string? toolCallId, string? toolName)
    {
        CloseOpen();
        var index = _blocks.Count;
        _blocks[upstreamIndex] = index;
        _open = index;
        _events.Add(kind == BlockKind.ToolCall ? new BlockStarted(index, kind, toolCallId ?? "", toolName ?? "") : new BlockStarted(index, kind));
        return index;
    }

    private void CloseOpen()
    {
        if (_open is { } open)
        {
            _events.Add(new BlockStopped(open));
            _open = null;
        }
    }

    private ChatBackendException Exception(BedrockStreamMessage message)
    {
        var type = message.ExceptionType ?? message.EventType ?? "unknownException";
        string? text = null;
        try
        {
            var data = Parse(message.Payload);
            text = Str(data, "message") ?? Str(data, "Message");
        }
        catch (ChatBackendException)
        {
            // A non-JSON exception payload still names its type.
        }
        return new ChatBackendException(KindFor(type), $"{upstreamName} reported {type}: {text ?? "no details"}") { Code = type };
    }

    public static ChatErrorKind KindFor(string exceptionType) => exceptionType switch
    {
        "throttlingException" or "ThrottlingException" => ChatErrorKind.RateLimited,
        "validationException" or "ValidationException" => ChatErrorKind.BadRequest,
        "accessDeniedException" or "AccessDeniedException" => ChatErrorKind.PermissionDenied,
        "resourceNotFoundException" or "ResourceNotFoundException" => ChatErrorKind.NotFound,
        "serviceUnavailableException" or "ServiceUnavailableException" => ChatErrorKind.Unavailable,
        "modelTimeoutException" or "ModelTimeoutException" => ChatErrorKind.Timeout,
        _ => ChatErrorKind.UpstreamError, // modelStreamErrorException, internalServerException, …
    };

    private JsonElement Parse(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.Length == 0 ? "{}"u8.ToArray() : payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent an event whose payload is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent an event with a malformed JSON payload.", e);
        }
    }

    private static int Index(JsonElement data) =>
        data.TryGetProperty("contentBlockIndex", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) => NullableInt(element, name) ?? 0;

    private static int? NullableInt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
