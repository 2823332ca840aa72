using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// One ConverseStream response, event by event, into <paramref name="output"/>. Text and reasoning blocks have no
/// start event (their first delta opens them); tool blocks start with their id and name. <c>metadata</c> (usage)
/// comes after <c>messageStop</c>, so completion is reported after it, or at the end of the stream.
/// </summary>
internal sealed class BedrockStreamTranslator(ChatEventBuilder output, string upstreamName, string model)
{
    private StopReason? _stopReason;

    public void Translate(BedrockStreamMessage message)
    {
        if (message.MessageType != "event")
        {
            throw Exception(message);
        }
        var data = Parse(message.Payload);
        output.Start(null, model);
        switch (message.EventType)
        {
            case "contentBlockStart" when data.TryGetProperty("start", out var start) && start.TryGetProperty("toolUse", out var toolUse):
                output.ToolCall(Str(toolUse, "toolUseId") ?? "", Str(toolUse, "name") ?? "", Index(data));
                break;
            case "contentBlockDelta" when data.TryGetProperty("delta", out var delta):
                Delta(Index(data), delta);
                break;
            case "contentBlockStop":
                output.Close(Index(data));
                break;
            case "messageStop":
                output.CloseAll();
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
                // Bedrock's inputTokens leave out cache reads and writes; ChatUsage counts them in.
                var cacheRead = NullableInt(usage, "cacheReadInputTokens");
                var cacheWrite = NullableInt(usage, "cacheWriteInputTokens");
                output.Usage(new ChatUsage(Int(usage, "inputTokens") + (cacheRead ?? 0) + (cacheWrite ?? 0), Int(usage, "outputTokens"), null, cacheRead, cacheWrite));
                Complete();
                break;
        }
    }

    /// <summary>At the end of the body: complete if messageStop was seen, else the stream was cut.</summary>
    public void Finish()
    {
        if (_stopReason is null)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} closed the stream before messageStop.");
        }
        Complete();
    }

    private void Complete()
    {
        if (_stopReason is { } reason && !output.Completed)
        {
            output.Complete(reason);
        }
    }

    private void Delta(int upstreamIndex, JsonElement delta)
    {
        if (Str(delta, "text") is { } text)
        {
            output.Text(text, upstreamIndex);
        }
        else if (delta.TryGetProperty("toolUse", out var toolUse) && Str(toolUse, "input") is { } input)
        {
            output.ToolArguments(input, upstreamIndex);
        }
        else if (delta.TryGetProperty("reasoningContent", out var reasoning))
        {
            output.Reasoning(Str(reasoning, "text") ?? "", upstreamIndex);
            output.Signature(Str(reasoning, "signature") ?? "", upstreamIndex);
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
