using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.FakeLlm;

/// <summary>
/// <c>POST /api/chat</c>: Ollama's NDJSON stream, one JSON object per line, flushed line by line:
/// thinking, content, whole tool calls (arguments as objects), then the <c>done</c> line with counts.
/// </summary>
internal sealed class OllamaChatEndpoint(FakeScriptSource scripts)
{
    private const string CreatedAt = "2026-01-01T00:00:00.000000000Z";

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

        var model = JsonFields.GetString(body, "model") ?? "fake-model";
        var playback = new ScriptPlayback(exchange, script);
        var response = exchange.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/x-ndjson";
        exchange.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(exchange.Cancellation);

        await playback.PlayAsync(script.Reasoning, text => LineAsync(exchange, model, w => w.WriteString("thinking", text)));
        var finished = await playback.PlayTextAsync(
            text => LineAsync(exchange, model, w => w.WriteString("content", text)),
            () => WriteLineAsync(exchange, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", script.ErrorMessage);
                w.WriteEndObject();
            }));
        if (!finished)
        {
            return;
        }

        foreach (var call in script.ToolCalls)
        {
            await playback.PaceAsync();
            await LineAsync(exchange, model, w =>
            {
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                if (call.Id is { } id)
                {
                    w.WriteString("id", id);
                }

                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WritePropertyName("arguments");
                JsonFields.WriteObjectOrEmpty(w, call.ArgumentsJson);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            });
        }

        await WriteLineAsync(exchange, w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("created_at", CreatedAt);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", "");
            w.WriteEndObject();
            w.WriteString("done_reason", FinishReasons.ToOpenAI(script) == "length" ? "length" : "stop");
            w.WriteBoolean("done", true);
            w.WriteNumber("total_duration", 1000000);
            w.WriteNumber("prompt_eval_count", script.InputTokens);
            w.WriteNumber("eval_count", script.OutputTokens);
            w.WriteEndObject();
        });
    }

    /// <summary>Ollama's error body is <c>{"error":"…"}</c>, whatever the status.</summary>
    public static Task WriteErrorAsync(FakeExchange exchange, int status, string message, int? retryAfterSeconds) =>
        JsonResponse.WriteErrorAsync(exchange, status, retryAfterSeconds, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });

    private static LastTurn ReadLastTurn(JsonElement? body)
    {
        var messages = JsonFields.GetArray(body, "messages").ToList();
        if (messages.Count > 0 && JsonFields.GetString(messages[^1], "role") == "tool")
        {
            return new LastTurn([], IsToolResult: true);
        }

        var lastUser = messages.FindLast(m => JsonFields.GetString(m, "role") == "user");
        return lastUser.ValueKind == JsonValueKind.Undefined ? LastTurn.Empty : new LastTurn(JsonFields.ContentTexts(lastUser), false);
    }

    private static Task LineAsync(FakeExchange exchange, string model, Action<Utf8JsonWriter> writeMessage) => WriteLineAsync(exchange, w =>
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("created_at", CreatedAt);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", "");
        writeMessage(w);
        w.WriteEndObject();
        w.WriteBoolean("done", false);
        w.WriteEndObject();
    });

    private static async Task WriteLineAsync(FakeExchange exchange, Action<Utf8JsonWriter> writeJson)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WireJson.WriterOptions))
        {
            writeJson(writer);
        }

        stream.Write(Encoding.UTF8.GetBytes("\n"));
        var output = exchange.Http.Response.BodyWriter;
        await output.WriteAsync(stream.ToArray(), exchange.Cancellation);
        await output.FlushAsync(exchange.Cancellation);
    }
}
