using AcpToApi.Backends;
using AcpToApi.Endpoints;
using Microsoft.AspNetCore.Http;

namespace AcpToApi.Hosting;

/// <summary>
/// The last line behind every endpoint: a request the client abandoned ends quietly; a request Kestrel rejected while
/// the app read it (a stalled or malformed body) gets that status; any other failure a protocol-shaped 500 naming the
/// request id (never a .NET type name, never an empty body). The details go to the server log.
/// </summary>
internal sealed partial class UnhandledFailures(RequestDelegate next, ILogger<UnhandledFailures> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left: a normal end, and nobody to answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, new ChatBackendException(ServerErrors.ServerErrorBodies.ClientFaultKind(e.StatusCode),
                e.StatusCode == StatusCodes.Status408RequestTimeout
                    ? "The request body arrived too slowly; the server stopped waiting for it."
                    : $"The request could not be read (HTTP {e.StatusCode}).")
            {
                Code = e.StatusCode == StatusCodes.Status408RequestTimeout ? "request_timeout" : "bad_request",
            }, status: e.StatusCode);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Failed(logger, context.TraceIdentifier, context.Request.Method, context.Request.Path, e);
            context.Response.Clear();
            await ErrorResponses.WriteAsync(context, Internal(context.TraceIdentifier, e));
        }
    }

    /// <summary>The error a client sees for a fault of the gateway's own.</summary>
    public static ChatBackendException Internal(string requestId, Exception cause) =>
        new(ChatErrorKind.Internal, $"Internal error in acptoapi; see the server log, request {requestId}.", cause) { Code = "internal_error" };

    [LoggerMessage(5, LogLevel.Error, "{RequestId} {Method} {Path} failed")]
    private static partial void Failed(ILogger logger, string requestId, string method, string path, Exception exception);
}
