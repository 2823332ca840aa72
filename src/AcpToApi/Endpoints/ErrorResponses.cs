using System.Globalization;
using AcpToApi.Backends;
using Microsoft.Net.Http.Headers;

namespace AcpToApi.Endpoints;

/// <summary>Writes a failure as the client's protocol error with an honest HTTP status (and Retry-After when known).</summary>
public static class ErrorResponses
{
    private static readonly List<(string PathPrefix, IErrorRenderer Renderer)> Renderers = [];

    /// <summary>Lets a protocol claim the errors of its paths (e.g. /v1/messages for Anthropic); OpenAI is the fallback.</summary>
    public static void Register(string pathPrefix, IErrorRenderer renderer)
    {
        lock (Renderers)
        {
            if (!Renderers.Any(r => r.PathPrefix == pathPrefix))
            {
                Renderers.Add((pathPrefix, renderer));
            }
        }
    }

    public static IErrorRenderer ForPath(PathString path)
    {
        lock (Renderers)
        {
            foreach (var (prefix, renderer) in Renderers)
            {
                if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return renderer;
                }
            }
        }
        return OpenAIErrorRenderer.Instance;
    }

    public static Task WriteAsync(HttpContext context, ChatBackendException error, IErrorRenderer? renderer = null)
    {
        var response = context.Response;
        response.StatusCode = error.HttpStatus;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var body = (renderer ?? ForPath(context.Request.Path)).Render(error);
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
