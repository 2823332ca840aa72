using AcpToApi.Backends;
using Microsoft.AspNetCore.Diagnostics;

namespace AcpToApi.Endpoints;

/// <summary>
/// A body for every error response that would otherwise have none (no route: 404; a route without that method: 405;
/// anything else the pipeline answers with a bare status), in the protocol of the path: OpenAI-shaped under /v1,
/// Gemini-shaped under /v1beta, Anthropic-shaped under /v1/messages. API clients then show a message, not "(no body)".
/// </summary>
internal static class UnmatchedRequests
{
    public static Task WriteBodyAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }
        var status = context.Response.StatusCode;
        var where = $"{context.Request.Method} {context.Request.Path}";
        var error = status switch
        {
            StatusCodes.Status404NotFound => new ChatBackendException(ChatErrorKind.NotFound,
                $"acptoapi has no endpoint for {where}. See the README's endpoint table (e.g. POST /v1/chat/completions, POST /v1/responses, "
                + "POST /v1/messages, POST /v1beta/models/<backend>/<model>:generateContent).")
            {
                Code = "unknown_url",
            },
            StatusCodes.Status405MethodNotAllowed => new ChatBackendException(ChatErrorKind.BadRequest,
                $"{context.Request.Method} is not allowed on {context.Request.Path}"
                + (context.Response.Headers.Allow.Count > 0 ? $" (allowed: {context.Response.Headers.Allow})." : "."))
            {
                Code = "method_not_allowed",
            },
            _ => new ChatBackendException(ChatBackendException.KindFromStatus(status), $"The request {where} could not be served (HTTP {status}).")
            {
                Code = "http_" + status,
            },
        };
        context.Response.ContentType = "application/json";
        var body = context.RequestServices.GetRequiredService<ErrorRenderers>().ForPath(context.Request.Path).Render(error);
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
