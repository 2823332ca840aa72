using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>
/// <c>POST /v1beta/models/{model}:streamGenerateContent?alt=sse</c> and <c>:generateContent</c>: the Gemini API.
/// Thoughts are parts with <c>"thought":true</c>, function calls arrive whole, the last chunk carries
/// finishReason and usageMetadata.
/// </summary>
internal sealed class GeminiGenerateEndpoint(FakeScriptSource scripts)
{
    public async Task HandleAsync(FakeExchange exchange, bool stream)
    {
        var body = exchange.Record.Json;
        var script = scripts.Next(ReadLastTurn(body));
        exchange.Record.Script = script;
        if (script.Status is { } status)
        {
            await JsonResponse.WriteErrorAsync(exchange, status, script.RetryAfterSeconds, w => WriteError(w, status, script.ErrorMessage));
            return;
        }
        var playback = new ScriptPlayback(exchange, script);
        if (!stream)
        {
            await JsonResponse.WriteAsync(exchange.Http, 200, w => WriteChunk(w, script, parts =>
            {
                foreach (var thought in script.Reasoning.Count > 0 ? [string.Concat(script.Reasoning)] : Array.Empty<string>())
                {
                    WriteTextPart(parts, thought, thought: true);
                }
                if (script.Tokens.Count > 0)
                {
                    WriteTextPart(parts, string.Concat(script.Tokens), thought: false);
                }
                foreach (var call in script.ToolCalls)
                {
                    WriteFunctionCall(parts, call);
                }
            }, final: true), exchange.Cancellation);
            return;
        }

        var sse = new SseWriter(exchange);
        await sse.StartAsync();
        await playback.PlayAsync(script.Reasoning, text => sse.WriteDataAsync(w => WriteChunk(w, script, p => WriteTextPart(p, text, thought: true), final: false)));
        var finished = await playback.PlayTextAsync(
            text => sse.WriteDataAsync(w => WriteChunk(w, script, p => WriteTextPart(p, text, thought: false), final: false)),
            () => sse.WriteDataAsync(w => WriteError(w, 500, script.ErrorMessage)));
        if (!finished)
        {
            return;
        }
        await playback.PaceAsync();
        await sse.WriteDataAsync(w => WriteChunk(w, script, parts =>
        {
            foreach (var call in script.ToolCalls)
            {
                WriteFunctionCall(parts, call);
            }
        }, final: true));
    }

    private static LastTurn ReadLastTurn(JsonElement? body)
    {
        var last = JsonFields.GetArray(body, "contents").LastOrDefault();
        var parts = JsonFields.GetArray(last, "parts").ToList();
        if (parts.Any(p => JsonFields.Get(p, "functionResponse") is { ValueKind: JsonValueKind.Object }))
        {
            return new LastTurn([], IsToolResult: true);
        }
        return new LastTurn([.. parts.Select(p => JsonFields.GetString(p, "text")).OfType<string>()], false);
    }

    private static void WriteChunk(Utf8JsonWriter w, FakeScript script, Action<Utf8JsonWriter> writeParts, bool final)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteString("role", "model");
        w.WriteStartArray("parts");
        writeParts(w);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNumber("index", 0);
        if (final)
        {
            w.WriteString("finishReason", script.FinishReason switch
            {
                "length" or "max_tokens" => "MAX_TOKENS",
                "content_filter" or "refusal" => "SAFETY",
                _ => "STOP",
            });
        }
        w.WriteEndObject();
        w.WriteEndArray();
        if (final)
        {
            w.WriteStartObject("usageMetadata");
            w.WriteNumber("promptTokenCount", script.InputTokens);
            w.WriteNumber("candidatesTokenCount", script.OutputTokens);
            w.WriteNumber("totalTokenCount", script.InputTokens + script.OutputTokens);
            w.WriteEndObject();
        }
        w.WriteString("modelVersion", "fake-gemini");
        w.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter w, string text, bool thought)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        if (thought)
        {
            w.WriteBoolean("thought", true);
        }
        w.WriteEndObject();
    }

    private static void WriteFunctionCall(Utf8JsonWriter w, FakeToolCall call)
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall");
        if (call.Id is not null)
        {
            w.WriteString("id", call.Id);
        }
        w.WriteString("name", call.Name);
        w.WritePropertyName("args");
        JsonFields.WriteObjectOrEmpty(w, call.ArgumentsJson);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter w, int status, string message)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("code", status);
        w.WriteString("message", message);
        w.WriteString("status", status switch
        {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            _ => "INTERNAL",
        });
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
