using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>
/// OpenAI's non-chat endpoints (embeddings, images, moderations, rerank, audio/speech), answered with small,
/// well-formed bodies; a queued script's Status turns any of them into an error.
/// </summary>
internal sealed class OpenAIAuxiliaryEndpoint(FakeScriptSource scripts)
{
    public static readonly byte[] SpeechBytes = "ID3\u0004fake-mp3-audio"u8.ToArray();

    public async Task HandleAsync(FakeExchange exchange, string path)
    {
        var script = scripts.Next(LastTurn.Empty);
        exchange.Record.Script = script;
        if (script.Status is { } status)
        {
            await OpenAIErrors.WriteResponseAsync(exchange, status, script.ErrorMessage, script.RetryAfterSeconds);
            return;
        }
        var model = JsonFields.GetString(exchange.Record.Json, "model") ?? "fake-model";
        if (path.EndsWith("/audio/speech", StringComparison.Ordinal))
        {
            exchange.Http.Response.ContentType = "audio/mpeg";
            await exchange.Http.Response.Body.WriteAsync(SpeechBytes, exchange.Cancellation);
            return;
        }
        await JsonResponse.WriteAsync(exchange.Http, 200, w => WriteBody(w, path, model), exchange.Cancellation);
    }

    private static void WriteBody(Utf8JsonWriter w, string path, string model)
    {
        w.WriteStartObject();
        switch (path)
        {
            case var p when p.EndsWith("/embeddings", StringComparison.Ordinal):
                w.WriteString("object", "list");
                w.WriteStartArray("data");
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", 0);
                w.WriteStartArray("embedding");
                w.WriteNumberValue(0.25);
                w.WriteNumberValue(-0.5);
                w.WriteNumberValue(1);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteString("model", model);
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", 3);
                w.WriteNumber("total_tokens", 3);
                w.WriteEndObject();
                break;
            default:
                w.WriteString("fake_endpoint", path);
                w.WriteString("model", model);
                break;
        }
        w.WriteEndObject();
    }
}
