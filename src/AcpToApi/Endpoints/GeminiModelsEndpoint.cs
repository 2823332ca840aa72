using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols.Gemini;

namespace AcpToApi.Endpoints;

/// <summary>GET /v1beta/models and /v1beta/models/{model}: the same cached lists as /v1/models, in Gemini's shape.</summary>
internal static class GeminiModelsEndpoint
{
    private static readonly List<string> Methods = ["generateContent", "streamGenerateContent", "countTokens"];

    public static async Task<IResult> ListAsync(BackendRouter router, BackendStatusCache cache, CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(router.Registrations.Select(async registration =>
        {
            var models = await cache.ListModelsAsync(registration, cancellationToken);
            return models.Select(model => Describe(registration, registration.Prefix + "/" + model));
        }));
        var list = new GeminiModelList { Models = lists.SelectMany(l => l).OrderBy(m => m.Name, StringComparer.Ordinal).ToList() };
        return Results.Json(list, GeminiJsonContext.Default.GeminiModelList);
    }

    /// <summary>One model: any id that routes to a backend is answered (backends accept models they do not list).</summary>
    public static async Task GetAsync(HttpContext context, BackendRouter router)
    {
        try
        {
            var path = GeminiModelPath.Parse(GeminiModelPath.Remainder(context.Request));
            if (path.Method is not null)
            {
                throw new ChatBackendException(ChatErrorKind.NotFound, $"':{path.Method}' is a POST method; GET names a model only.") { Code = "not_found" };
            }
            var routed = router.Route(path.Model);
            await Results.Json(Describe(routed.Registration, path.Model), GeminiJsonContext.Default.GeminiModel).ExecuteAsync(context);
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, GeminiErrorRenderer.Instance);
        }
    }

    private static GeminiModel Describe(BackendRegistration registration, string id) => new()
    {
        Name = "models/" + id,
        BaseModelId = id,
        DisplayName = id,
        Description = registration.Description,
        SupportedGenerationMethods = Methods,
    };
}
