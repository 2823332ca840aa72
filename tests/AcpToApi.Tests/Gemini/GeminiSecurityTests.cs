using AcpToApi.Tests.Infrastructure;
using static AcpToApi.Tests.Gemini.GeminiHttp;

namespace AcpToApi.Tests.Gemini;

/// <summary>The middleware's refusals are in Gemini's shape on /v1beta, and Gemini clients' key placements are accepted.</summary>
public sealed class GeminiSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiKeyIsTakenFromXGoogApiKeyOrQueryAndRefusalsAreGeminiErrors()
    {
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "s3cret" });
        using var http = gateway.CreateHttpClient();

        using var missing = await http.PostAsync("/v1beta/models/echo/a:generateContent", Json(UserText("x")), Ct);
        await ErrorAsync(missing, 401, "UNAUTHENTICATED", Ct);

        using var viaQuery = await http.PostAsync("/v1beta/models/echo/a:generateContent?key=s3cret", Json(UserText("x")), Ct);
        Assert.Equal(200, (int)viaQuery.StatusCode);

        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/echo/a:generateContent") { Content = Json(UserText("x")) };
        message.Headers.Add("x-goog-api-key", "s3cret");
        using var viaHeader = await http.SendAsync(message, Ct);
        Assert.Equal(200, (int)viaHeader.StatusCode);
    }

    [Fact]
    public async Task ForeignHostIsA403InGeminiShape()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/echo/a:generateContent") { Content = Json(UserText("x")) };
        message.Headers.Host = "evil.example";

        using var response = await http.SendAsync(message, Ct);

        await ErrorAsync(response, 403, "PERMISSION_DENIED", Ct);
    }
}
