namespace AcpToApi.FakeLlm;

/// <summary><c>GET /v1/models</c>: an OpenAI model list with the one fake model.</summary>
internal static class ModelsEndpoint
{
    public const string ModelId = "fake-model";

    public static Task HandleAsync(FakeExchange exchange) =>
        JsonResponse.WriteAsync(exchange.Http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("id", ModelId);
            w.WriteString("object", "model");
            w.WriteNumber("created", 1700000000);
            w.WriteString("owned_by", "fake");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }, exchange.Cancellation);
}
