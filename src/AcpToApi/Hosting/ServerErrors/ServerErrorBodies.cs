using System.IO.Pipelines;
using AcpToApi.Backends;
using AcpToApi.Endpoints;
using Microsoft.AspNetCore.Connections;

namespace AcpToApi.Hosting.ServerErrors;

/// <summary>
/// Bodies for the errors Kestrel answers by itself, before any app code runs (400 for a request it cannot parse, 408,
/// 414 for a long URL, 431 for large headers): Kestrel sends those with an empty body, which API clients show as
/// "(no body)". A connection middleware watches what Kestrel writes; when it is such a response (an error status,
/// <c>Content-Length: 0</c>, the connection closing) it writes the same response with a protocol-shaped JSON error body,
/// in the protocol of the request's path where the request line said it (OpenAI-shaped otherwise).
/// </summary>
internal static class ServerErrorBodies
{
    public static ConnectionDelegate Wrap(ConnectionDelegate next, Func<ErrorRenderers> renderers) => connection =>
    {
        var transport = connection.Transport;
        var input = new RequestLineWatcher(transport.Input);
        connection.Transport = new Duplex(input, new ErrorResponseRewriter(transport.Output, status => Body(status, input.LastPath, renderers())));
        return next(connection);
    };

    private static byte[] Body(int status, string? path, ErrorRenderers renderers)
    {
        var message = status switch
        {
            408 => "The request did not arrive in time; the server closed the connection.",
            414 => "The URL is longer than the server accepts.",
            431 => "The request headers are larger than the server accepts.",
            _ => "The request could not be parsed (its request line, path or headers are malformed).",
        };
        var error = new ChatBackendException(ClientFaultKind(status), message) { Status = status, Code = "http_" + status };
        return renderers.ForPath(new PathString(path ?? "/")).Render(error);
    }

    /// <summary>The kind of a request the server itself refused: the client's fault, or a client too slow.</summary>
    public static ChatErrorKind ClientFaultKind(int status) => status switch
    {
        408 => ChatErrorKind.Timeout,
        413 => ChatErrorKind.RequestTooLarge,
        _ => ChatErrorKind.BadRequest,
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
