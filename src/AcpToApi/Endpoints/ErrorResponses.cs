using System.Globalization;
using AcpToApi.Backends;
using Microsoft.Net.Http.Headers;

namespace AcpToApi.Endpoints;

/// <summary>
/// Writes a failure as the client's protocol error with an honest HTTP status (and Retry-After when known); without a
/// renderer, the app's <see cref="ErrorRenderers"/> picks one by path.
/// </summary>
internal static class ErrorResponses
{
    /// <param name="status">The status when it is not the error kind's own (a 408 for a client's stalled body, say).</param>
    public static Task WriteAsync(HttpContext context, ChatBackendException error, IErrorRenderer? renderer = null, int? status = null)
    {
        var response = context.Response;
        response.StatusCode = status ?? error.HttpStatus;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var body = (renderer ?? context.RequestServices.GetRequiredService<ErrorRenderers>().ForPath(context.Request.Path)).Render(error);
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
