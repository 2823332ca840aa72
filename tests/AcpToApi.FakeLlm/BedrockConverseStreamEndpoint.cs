using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.FakeLlm;

/// <summary>
/// <c>POST /model/{modelId}/converse-stream</c>: Bedrock ConverseStream as real binary event-stream
/// frames, one per event, flushed at once. A mid-stream error is an <c>exception</c> frame, of type
/// <c>modelStreamErrorException</c> unless the script's ErrorMessage starts with another
/// <c>…Exception:</c> name (e.g. <c>throttlingException: slow down</c>).
/// </summary>
internal sealed class BedrockConverseStreamEndpoint(FakeScriptSource scripts)
{
    public async Task HandleAsync(FakeExchange exchange)
    {
        var body = exchange.Record.Json;
        if (body is not { ValueKind: JsonValueKind.Object })
        {
            await WriteErrorAsync(exchange, 400, "fake: the request body is not a JSON object", null);
            return;
        }

        var script = scripts.Next(ReadLastTurn(body));
        exchange.Record.Script = script;
        if (script.Status is { } status)
        {
            await WriteErrorAsync(exchange, status, script.ErrorMessage, script.RetryAfterSeconds);
            return;
        }

        var playback = new ScriptPlayback(exchange, script);
        var response = exchange.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/vnd.amazon.eventstream";
        response.Headers["x-amzn-RequestId"] = "fake-request-" + exchange.Record.Sequence.ToString(CultureInfo.InvariantCulture);
        exchange.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(exchange.Cancellation);

        await EventAsync(exchange, "messageStart", w => w.WriteString("role", "assistant"));
        var block = 0;
        if (script.Reasoning.Count > 0)
        {
            var index = block++;
            await playback.PlayAsync(script.Reasoning, text => DeltaAsync(exchange, index, w =>
            {
                w.WriteStartObject("reasoningContent");
                w.WriteString("text", text);
                w.WriteEndObject();
            }));
            await DeltaAsync(exchange, index, w =>
            {
                w.WriteStartObject("reasoningContent");
                w.WriteString("signature", script.Signature);
                w.WriteEndObject();
            });
            await StopAsync(exchange, index);
        }

        var textIndex = block;
        var finished = await playback.PlayTextAsync(
            text => DeltaAsync(exchange, textIndex, w => w.WriteString("text", text)),
            () => ExceptionAsync(exchange, script.ErrorMessage));
        if (!finished)
        {
            return;
        }

        if (script.Tokens.Count > 0)
        {
            await StopAsync(exchange, block++);
        }

        for (var i = 0; i < script.ToolCalls.Count; i++)
        {
            var call = script.ToolCalls[i];
            var index = block++;
            await playback.PaceAsync();
            await EventAsync(exchange, "contentBlockStart", w =>
            {
                w.WriteNumber("contentBlockIndex", index);
                w.WriteStartObject("start");
                w.WriteStartObject("toolUse");
                w.WriteString("toolUseId", call.Id ?? string.Create(CultureInfo.InvariantCulture, $"tooluse_fake_{exchange.Record.Sequence}_{i}"));
                w.WriteString("name", call.Name);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            await playback.PlayAsync(ScriptPlayback.Fragments(call.ArgumentsJson), fragment => DeltaAsync(exchange, index, w =>
            {
                w.WriteStartObject("toolUse");
                w.WriteString("input", fragment);
                w.WriteEndObject();
            }));
            await StopAsync(exchange, index);
        }

        await EventAsync(exchange, "messageStop", w => w.WriteString("stopReason", FinishReasons.ToAnthropic(script)));
        await EventAsync(exchange, "metadata", w =>
        {
            w.WriteStartObject("usage");
            w.WriteNumber("inputTokens", script.InputTokens);
            w.WriteNumber("outputTokens", script.OutputTokens);
            w.WriteNumber("totalTokens", script.InputTokens + script.OutputTokens);
            w.WriteEndObject();
            w.WriteStartObject("metrics");
            w.WriteNumber("latencyMs", 42);
            w.WriteEndObject();
        });
    }

    /// <summary>Bedrock's HTTP error: <c>{"message"}</c> with the type in <c>x-amzn-ErrorType</c>.</summary>
    private static Task WriteErrorAsync(FakeExchange exchange, int status, string message, int? retryAfterSeconds)
    {
        exchange.Http.Response.Headers["x-amzn-ErrorType"] = status switch
        {
            400 => "ValidationException",
            403 => "AccessDeniedException",
            404 => "ResourceNotFoundException",
            429 => "ThrottlingException",
            503 => "ServiceUnavailableException",
            _ => "InternalServerException",
        } + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
        return JsonResponse.WriteErrorAsync(exchange, status, retryAfterSeconds, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    private static LastTurn ReadLastTurn(JsonElement? body)
    {
        var last = JsonFields.GetArray(body, "messages").LastOrDefault();
        if (JsonFields.GetString(last, "role") != "user")
        {
            return LastTurn.Empty;
        }

        var blocks = JsonFields.GetArray(last, "content").ToList();
        return new LastTurn(
            [.. blocks.Select(b => JsonFields.GetString(b, "text")).OfType<string>()],
            blocks.Any(b => JsonFields.Get(b, "toolResult") is not null));
    }

    private static Task DeltaAsync(FakeExchange exchange, int index, Action<Utf8JsonWriter> writeDelta) =>
        EventAsync(exchange, "contentBlockDelta", w =>
        {
            w.WriteNumber("contentBlockIndex", index);
            w.WriteStartObject("delta");
            writeDelta(w);
            w.WriteEndObject();
        });

    private static Task StopAsync(FakeExchange exchange, int index) =>
        EventAsync(exchange, "contentBlockStop", w => w.WriteNumber("contentBlockIndex", index));

    private static Task EventAsync(FakeExchange exchange, string eventType, Action<Utf8JsonWriter> writeFields) =>
        FrameAsync(exchange, [(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], w =>
        {
            w.WriteStartObject();
            writeFields(w);
            w.WriteString("p", "abcdefghijklmnopqrstuvwxyz"); // Bedrock pads payloads to hide their length
            w.WriteEndObject();
        });

    private static Task ExceptionAsync(FakeExchange exchange, string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        var type = colon > 0 && message[..colon].EndsWith("Exception", StringComparison.Ordinal) ? message[..colon] : "modelStreamErrorException";
        var text = type == "modelStreamErrorException" && colon <= 0 ? message : message[(colon + 1)..].Trim();
        return FrameAsync(exchange, [(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], w =>
        {
            w.WriteStartObject();
            w.WriteString("message", text);
            w.WriteEndObject();
        });
    }

    private static async Task FrameAsync(FakeExchange exchange, IReadOnlyList<(string, string)> headers, Action<Utf8JsonWriter> writeJson)
    {
        using var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload, WireJson.WriterOptions))
        {
            writeJson(writer);
        }

        var output = exchange.Http.Response.BodyWriter;
        await output.WriteAsync(EventStreamFrame.Encode(headers, payload.ToArray()), exchange.Cancellation);
        await output.FlushAsync(exchange.Cancellation);
    }
}
