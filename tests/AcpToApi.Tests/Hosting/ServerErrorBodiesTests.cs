using System.Net.Sockets;
using System.Text;
using AcpToApi.Tests.Endpoints;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// The errors Kestrel answers before any app code runs (414 long URL, 431 large headers, 400 unparseable request) and
/// a body that stalls (408) carry a JSON error in the protocol of the request's path, not an empty body; the server
/// keeps serving.
/// </summary>
public sealed class ServerErrorBodiesTests : EchoGatewayTest
{
    [Theory]
    [InlineData("/v1/messages", 414)]
    [InlineData("/v1beta/models/echo/a:generateContent", 414)]
    [InlineData("/v1/chat/completions", 431)]
    [InlineData("/v1/messages", 431)]
    public async Task LimitsKestrelEnforcesAnswerInThePathsProtocol(string path, int status)
    {
        var request = status == 414
            ? $"POST {path}?pad={new string('a', 20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
            : $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {new string('a', 40_000)}\r\nContent-Length: 0\r\n\r\n";

        var (head, body) = await SendRawAsync(request);

        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", head, StringComparison.Ordinal);
        Assert.Contains(status == 414 ? "URL is longer" : "headers are larger", ProtocolError.Message(path, body), StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AnUnparseablePathIsA400WithABody()
    {
        var (head, body) = await SendRawAsync("GET /v1/%00bad HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", head, StringComparison.Ordinal);
        Assert.Contains("could not be parsed", ProtocolError.Message("/v1/chat/completions", body), StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    private async Task<(string Head, string Body)> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Gateway.BaseUrl.Host, Gateway.BaseUrl.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        // Kestrel closes the connection after these answers: read to the end.
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(Ct);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no complete response: {response}");
        return (response[..split], response[(split + 4)..]);
    }

    private async Task AssertStillServingAsync()
    {
        using var http = Gateway.CreateHttpClient();
        using var health = await http.GetAsync("/health", Ct);
        Assert.True(health.IsSuccessStatusCode);
    }
}
