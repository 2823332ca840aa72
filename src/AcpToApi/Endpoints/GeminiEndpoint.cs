using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols.Gemini;

namespace AcpToApi.Endpoints;

/// <summary>POST /v1beta/models/{model}:{method}: generateContent, streamGenerateContent, countTokens, embedContent, batchEmbedContents.</summary>
internal static class GeminiEndpoint
{
    public static Task HandleAsync(HttpContext context, ChatExchange exchange, BackendRouter router) =>
        HandleAsync(context, exchange, router, GeminiModelPath.Remainder(context.Request));

    /// <summary>
    /// Any other /v1beta path. Google's SDKs take a model id holding '/' for a resource name and drop "models/"
    /// (<c>/v1beta/openai/gpt-4o:generateContent</c>): when the first segment is a backend prefix, that is a model path.
    /// Everything else is a Gemini-shaped 404 rather than an empty one.
    /// </summary>
    public static Task OtherAsync(HttpContext context, ChatExchange exchange, BackendRouter router)
    {
        var remainder = (context.Request.Path.Value ?? "")["/v1beta/".Length..];
        var firstSegment = Uri.UnescapeDataString(remainder).Split('/', 2)[0];
        return HttpMethods.IsPost(context.Request.Method) && remainder.Contains(':') && router.TryGet(firstSegment, out _)
            ? HandleAsync(context, exchange, router, remainder)
            : NotFoundAsync(context);
    }

    private static async Task HandleAsync(HttpContext context, ChatExchange exchange, BackendRouter router, string remainder)
    {
        try
        {
            var path = GeminiModelPath.Parse(remainder);
            switch (path.Method)
            {
                case "generateContent":
                case "streamGenerateContent":
                    await GenerateAsync(context, exchange, path.Model, path.Method == "streamGenerateContent");
                    break;
                case "countTokens":
                    await CountTokensAsync(context, router, path.Model);
                    break;
                case "embedContent" or "batchEmbedContents":
                    await GeminiEmbeddings.HandleAsync(context, router, path.Model, batch: path.Method == "batchEmbedContents");
                    break;
                default:
                    throw new ChatBackendException(ChatErrorKind.NotFound,
                        $"Unknown method '{path.Method ?? "(none)"}' for model '{path.Model}': use :generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents.")
                    {
                        Code = "not_found",
                    };
            }
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, GeminiErrorRenderer.Instance);
        }
    }

    private static Task NotFoundAsync(HttpContext context) =>
        ErrorResponses.WriteAsync(context, new ChatBackendException(ChatErrorKind.NotFound,
            $"acptoapi implements no Gemini API at {context.Request.Path}: use /v1beta/models and /v1beta/models/<backend>/<model>:<method>.")
        {
            Code = "not_found",
        }, GeminiErrorRenderer.Instance);

    private static async Task GenerateAsync(HttpContext context, ChatExchange exchange, string model, bool stream)
    {
        var wire = await RequestJson.ReadAsync(context, GeminiJsonContext.Default.GeminiGenerateContentRequest);
        var request = GeminiRequestReader.Read(wire, model, stream);
        var framing = string.Equals(context.Request.Query["alt"], "sse", StringComparison.OrdinalIgnoreCase)
            ? GeminiStreamFraming.Sse
            : GeminiStreamFraming.JsonArray;
        await exchange.RunAsync(context, request, new GeminiExchangeRenderer(model, framing, GeminiRequestReader.IncludeThoughts(wire)));
    }

    private static async Task CountTokensAsync(HttpContext context, BackendRouter router, string model)
    {
        var wire = await RequestJson.ReadAsync(context, GeminiJsonContext.Default.GeminiGenerateContentRequest);
        router.Route(model); // an unknown backend is a 404 here too
        var request = GeminiRequestReader.Read(wire.GenerateContentRequest ?? wire, model, stream: false);
        var count = new GeminiCountTokensResponse { TotalTokens = await context.RequestServices.GetRequiredService<InputTokenCount>().CountAsync(context, request) };
        await Results.Json(count, GeminiJsonContext.Default.GeminiCountTokensResponse).ExecuteAsync(context);
    }
}
