using System.Net;
using System.Text;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

public sealed class SecurityTests
{
    private const string Body = """{"model":"echo/a","messages":[{"role":"user","content":"hi"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("Authorization", "Bearer wrong", HttpStatusCode.Unauthorized)]
    [InlineData("Authorization", "Bearer s3cret", HttpStatusCode.OK)]
    [InlineData("x-api-key", "s3cret", HttpStatusCode.OK)]
    [InlineData("x-goog-api-key", "s3cret", HttpStatusCode.OK)]
    [InlineData("x-api-key", "s3cret-but-longer", HttpStatusCode.Unauthorized)]
    public async Task WithAKeyConfiguredEveryProtocolsHeaderIsAccepted(string? header, string? value, HttpStatusCode expected)
    {
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "s3cret" });
        using var http = gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Contains("invalid_api_key", await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task QueryKeyIsAcceptedForGeminiStyleClients()
    {
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "s3cret" });
        using var http = gateway.CreateHttpClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health?key=s3cret", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/health?key=nope", Ct)).StatusCode);
    }

    [Fact]
    public async Task ForeignHostHeaderIsRefusedOnLoopback()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "attacker.example";

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("host_not_allowed", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task CorsIsClosedUnlessAnOriginIsAllowed()
    {
        await using var closed = await GatewayServer.StartAsync();
        await using var open = await GatewayServer.StartAsync(settings: new() { ["corsOrigins:0"] = "http://localhost:5173" });

        async Task<string?> AllowedOrigin(GatewayServer server)
        {
            using var http = server.CreateHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
            request.Headers.Add("Origin", "http://localhost:5173");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            using var response = await http.SendAsync(request, Ct);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Null(await AllowedOrigin(closed));
        Assert.Equal("http://localhost:5173", await AllowedOrigin(open));
    }
}
