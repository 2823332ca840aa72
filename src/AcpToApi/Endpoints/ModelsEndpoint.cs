using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Endpoints;

/// <summary>GET /v1/models: every configured backend's models, as &lt;prefix&gt;/&lt;model&gt;, from cached probes.</summary>
public static class ModelsEndpoint
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
}
