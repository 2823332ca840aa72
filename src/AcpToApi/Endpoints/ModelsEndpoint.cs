using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Endpoints;

/// <summary>GET /v1/models: every configured backend's models, as &lt;prefix&gt;/&lt;model&gt;, from cached probes.</summary>
internal static class ModelsEndpoint
{
    public static async Task<IResult> HandleAsync(BackendRouter router, BackendStatusCache cache, CancellationToken cancellationToken)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var lists = await Task.WhenAll(router.Registrations.Select(async registration =>
        {
            var models = await cache.ListModelsAsync(registration, cancellationToken);
            return models.Select(model => new OpenAIModel
            {
                Id = registration.Prefix + "/" + model,
                Created = created,
                OwnedBy = registration.Prefix,
            });
        }));
        var list = new OpenAIModelList { Data = lists.SelectMany(l => l).OrderBy(m => m.Id, StringComparer.Ordinal).ToList() };
        return Results.Json(list, OpenAIJsonContext.Default.OpenAIModelList);
    }

    /// <summary>GET /v1/models/{model}: one model (its id holds the backend prefix and may hold more slashes), or a 404.</summary>
    public static async Task GetAsync(HttpContext context, string model, BackendRouter router, BackendStatusCache cache)
    {
        try
        {
            var routed = router.Route(model);
            var offered = await cache.ListModelsAsync(routed.Registration, context.RequestAborted);
            if (!offered.Contains(routed.BackendModel, StringComparer.Ordinal))
            {
                throw new ChatBackendException(ChatErrorKind.NotFound,
                    $"The {routed.Registration.Prefix} backend does not list a model '{routed.BackendModel}' (GET /v1/models lists what each backend offers right now).")
                {
                    Param = "model",
                    Code = "model_not_found",
                };
            }
            var found = new OpenAIModel
            {
                Id = routed.Registration.Prefix + "/" + routed.BackendModel,
                Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                OwnedBy = routed.Registration.Prefix,
            };
            await Results.Json(found, OpenAIJsonContext.Default.OpenAIModel).ExecuteAsync(context);
        }
        catch (ChatBackendException error)
        {
            await ErrorResponses.WriteAsync(context, error, OpenAIErrorRenderer.Instance);
        }
    }
}
