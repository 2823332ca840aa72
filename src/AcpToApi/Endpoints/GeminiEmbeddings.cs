using System.Text;
using System.Text.Json.Nodes;
using AcpToApi.Backends;
using AcpToApi.Protocols;

namespace AcpToApi.Endpoints;

/// <summary>
/// :embedContent and :batchEmbedContents, answered by an OpenAI-compatible backend's /embeddings:
/// the parts' text becomes the input, <c>outputDimensionality</c> becomes <c>dimensions</c>, and the vectors
/// come back as Gemini <c>embedding.values</c>.
/// </summary>
internal static class GeminiEmbeddings
{
    public static async Task HandleAsync(HttpContext context, BackendRouter router, string model, bool batch)
    {
        var body = await RequestJson.ReadAsync(context, PassthroughJsonContext.Default.JsonObject);
        var requests = batch
            ? (body["requests"] as JsonArray ?? throw Invalid("batchEmbedContents needs a 'requests' array.")).OfType<JsonObject>().ToList()
            : [body];
        if (requests.Count == 0)
        {
            throw Invalid("'requests' is empty.");
        }
        var inputs = requests.Select(TextOf).ToList();
        int? dimensions = null;
        if (requests[0]["outputDimensionality"] is { } given)
        {
            dimensions = given is JsonValue value && value.TryGetValue<int>(out var size) && size > 0
                ? size
                : throw Invalid("outputDimensionality must be a positive integer.");
        }

        var routed = router.Route(model);
        if (routed.Registration.Backend is not IPassthroughBackend passthrough)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest,
                $"The {routed.Registration.Prefix}/ backend has no embeddings; use an OpenAI-compatible backend (openai/, together/, mistral/, … or one from your config file).")
            {
                Code = "unsupported_endpoint",
            };
        }
        var upstreamBody = new JsonObject { ["model"] = routed.BackendModel, ["input"] = new JsonArray([.. inputs.Select(i => JsonValue.Create(i))]) };
        if (dimensions is { } d)
        {
            upstreamBody["dimensions"] = d;
        }

        using var response = await passthrough.PostAsync("embeddings", Encoding.UTF8.GetBytes(upstreamBody.ToJsonString()), context.RequestAborted);
        await UpstreamHttp.ThrowIfFailedAsync(response, routed.Registration.Prefix, context.RequestAborted);
        var vectors = ReadVectors(await response.Content.ReadAsStringAsync(context.RequestAborted));
        if (vectors is null || vectors.Count != inputs.Count || vectors.Any(v => v is null))
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{routed.Registration.Prefix} returned an embeddings response without one vector per input.");
        }

        context.Response.ContentType = "application/json";
        await using var w = WireJson.CreateWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        if (batch)
        {
            w.WriteStartArray("embeddings");
            foreach (var vector in vectors)
            {
                WriteValues(w, vector!);
            }
            w.WriteEndArray();
        }
        else
        {
            w.WritePropertyName("embedding");
            WriteValues(w, vectors[0]!);
        }
        w.WriteEndObject();
    }

    /// <summary>The vectors of an OpenAI embeddings response in input order, or null when it is not one.</summary>
    private static List<JsonArray?>? ReadVectors(string body)
    {
        try
        {
            return (JsonNode.Parse(body)?["data"] as JsonArray)?.OfType<JsonObject>()
                .OrderBy(item => item["index"] is JsonValue index && index.TryGetValue<int>(out var i) ? i : 0)
                .Select(item => item["embedding"] as JsonArray)
                .ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteValues(System.Text.Json.Utf8JsonWriter w, JsonArray vector)
    {
        w.WriteStartObject();
        w.WritePropertyName("values");
        vector.WriteTo(w);
        w.WriteEndObject();
    }

    private static string TextOf(JsonObject request)
    {
        var parts = (request["content"] as JsonObject)?["parts"] as JsonArray
            ?? throw Invalid("each embedding request needs content.parts with text.");
        return string.Join("\n", parts.OfType<JsonObject>().Select(p => p["text"] switch
        {
            null => null,
            JsonValue text when text.TryGetValue<string>(out var value) => value,
            _ => throw Invalid("parts[].text must be a string."),
        }).OfType<string>());
    }

    private static ChatBackendException Invalid(string message) => new(ChatErrorKind.BadRequest, message) { Code = "invalid_argument" };
}
