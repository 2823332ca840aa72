namespace AcpToApi.Endpoints;

/// <summary>
/// Which protocol renders the errors of which paths (e.g. /v1/messages for Anthropic), for failures that happen before
/// an endpoint knows its protocol (middleware, unknown routes). One per app, fixed when the app is built; OpenAI is the fallback.
/// </summary>
internal sealed class ErrorRenderers(IReadOnlyList<(string PathPrefix, IErrorRenderer Renderer)> byPath)
{
    public IErrorRenderer ForPath(PathString path)
    {
        foreach (var (prefix, renderer) in byPath)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return renderer;
            }
        }
        return OpenAIErrorRenderer.Instance;
    }
}
