using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

/// <summary>
/// A non-streamed answer, in every client protocol, carries a Content-Length that matches its body and is not
/// chunked: it leaves in one write, and clients that size their buffers from the header get the truth.
/// </summary>
public sealed class WholeResponseFramingTests : EchoGatewayTest
{
    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"echo/a","messages":[{"role":"user","content":"sized reply"}]}""", "choices")]
    [InlineData("/v1/messages", """{"model":"echo/a","max_tokens":50,"messages":[{"role":"user","content":"sized reply"}]}""", "content")]
    [InlineData("/v1beta/models/echo%2Fa:generateContent", """{"contents":[{"role":"user","parts":[{"text":"sized reply"}]}]}""", "candidates")]
    public async Task HasAContentLengthAndNoChunking(string path, string body, string field)
    {
        using var http = Gateway.CreateHttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        // Headers first, as sent: once a body is buffered, HttpClient would report its length even without the header.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.True(response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var sentLength), "no Content-Length header");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(sentLength));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(bytes);
        Assert.True(json.RootElement.TryGetProperty(field, out _));
        Assert.Contains("sized reply", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
