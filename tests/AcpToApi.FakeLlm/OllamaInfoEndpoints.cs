namespace AcpToApi.FakeLlm;

/// <summary><c>GET /api/tags</c> (the pulled models) and <c>GET /api/version</c> of a fake Ollama server.</summary>
internal static class OllamaInfoEndpoints
{
    public const string Version = "0.12.6";

    public static readonly string[] Models = ["fake-model:latest", "qwen3:0.6b"];

    public static Task TagsAsync(FakeExchange exchange) =>
        JsonResponse.WriteAsync(exchange.Http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var name in Models)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("model", name);
                w.WriteString("modified_at", "2026-01-01T00:00:00Z");
                w.WriteNumber("size", 1234567);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }, exchange.Cancellation);

    public static Task VersionAsync(FakeExchange exchange) =>
        JsonResponse.WriteAsync(exchange.Http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", Version);
            w.WriteEndObject();
        }, exchange.Cancellation);
}
