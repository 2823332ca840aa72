using AcpToApi.Backends;
using AcpToApi.Endpoints;

namespace AcpToApi.Security;

/// <summary>
/// Refuses a request that carries this gateway's own <see cref="GatewayLoop"/> token: it came from a Claude Code process the
/// gateway started, sent back here because <c>ANTHROPIC_BASE_URL</c> points at the gateway. Refused (400, which the CLI does
/// not retry) before routing, so no further process starts; the CLI's error names the cause to the client that started it.
/// The gateway's MCP endpoints (client tools), which those processes are meant to call, are not affected.
/// </summary>
internal sealed class GatewayLoopMiddleware(RequestDelegate next, string token)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Request.Headers[GatewayLoop.Header] == token && !context.Request.Path.StartsWithSegments("/mcp")
            ? ErrorResponses.WriteAsync(context, GatewayLoop.Refusal())
            : next(context);
}
