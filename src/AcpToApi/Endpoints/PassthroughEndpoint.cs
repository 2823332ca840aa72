using System.Text.Json.Nodes;
using AcpToApi.Backends;

namespace AcpToApi.Endpoints;

/// <summary>
/// POST /v1/embeddings, /v1/images/generations, /v1/moderations, /v1/rerank and /v1/audio/speech:
/// routed by the body's model prefix to an OpenAI-compatible backend and forwarded with only the model
/// name changed; the upstream status, content type and body (JSON or audio) come back as they are.
/// </summary>
internal static class PassthroughEndpoint
{
    public static readonly string[] Paths = ["embeddings", "images/generations", "moderations", "rerank", "audio/speech"];

    public static async Task HandleAsync(HttpContext context, BackendRouter router, string relativePath)
    {
        try
        {
            var body = await RequestJson.ReadAsync(context, PassthroughJsonContext.Default.JsonObject);
            var model = body["model"] is JsonValue value && value.TryGetValue<string>(out var m) ? m : null;
            var routed = router.Route(model);
            if (routed.Registration.Backend is not IPassthroughBackend passthrough)
            {
                throw new ChatBackendException(ChatErrorKind.BadRequest,
                    $"The {routed.Registration.Prefix}/ backend does not serve /v1/{relativePath}; use an OpenAI-compatible backend (openai/, groq/, together/, mistral/, … or one from your config file).")
                {
                    Param = "model",
                    Code = "unsupported_endpoint",
                };
            }
            body["model"] = routed.BackendModel;
            var payload = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());

            using var response = await passthrough.PostAsync(relativePath, payload, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString();
            }
            await using var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await upstream.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, OpenAIErrorRenderer.Instance);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; the upstream request was cancelled with it.
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class PassthroughJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
