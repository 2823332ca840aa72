using AcpToApi.Backends;
using AcpToApi.Endpoints;

namespace AcpToApi.Security;

/// <summary>
/// When bound to loopback, refuses requests whose Host header is not a loopback name: a web page on another
/// site cannot reach the gateway through DNS rebinding.
/// </summary>
internal sealed class LoopbackHostMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (IsLoopbackName(host))
        {
            return next(context);
        }
        var error = new ChatBackendException(ChatErrorKind.PermissionDenied,
            $"Host '{host}' is not allowed: this acptoapi server listens on loopback and only answers requests addressed to localhost or 127.0.0.1.")
        {
            Code = "host_not_allowed",
        };
        return ErrorResponses.WriteAsync(context, error);
    }

    public static bool IsLoopbackName(string host) =>
        host.Length == 0
        || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host is "::1" or "[::1]"
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
