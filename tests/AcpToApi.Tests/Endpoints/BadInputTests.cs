using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

/// <summary>Bad input gets the right status and an OpenAI error object, and the server keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync(settings: new() { ["maxBodyBytes"] = "65536" });
        _http = _gateway.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"model\":", 400, "invalid_json", null)]
    [InlineData("not json at all", 400, "invalid_json", null)]
    [InlineData("[]", 400, "invalid_json", null)]
    [InlineData("{\"model\":\"echo/a\",\"messages\":\"hi\"}", 400, "invalid_json", "messages")]
    [InlineData("{\"model\":42,\"messages\":[]}", 400, "invalid_json", "model")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "missing_required_parameter", "model")]
    [InlineData("{\"model\":\"echo/a\"}", 400, "missing_required_parameter", "messages")]
    [InlineData("{\"model\":\"echo/a\",\"messages\":[]}", 400, "missing_required_parameter", "messages")]
    [InlineData("{\"model\":\"echo/a\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400, "invalid_value", "messages[0].role")]
    [InlineData("{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", 400, "invalid_type", "messages[0].content")]
    [InlineData("{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}", 400, "unsupported_content", "messages[0].content[0]")]
    [InlineData("{\"model\":\"echo/a\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "missing_required_parameter", "messages[0].tool_call_id")]
    [InlineData("{\"model\":\"echo/a\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "unsupported_parameter", "n")]
    [InlineData("{\"model\":\"echo/a\",\"stop\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "invalid_type", "stop")]
    [InlineData("{\"model\":\"echo/a\",\"tool_choice\":\"sometimes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "invalid_value", "tool_choice")]
    [InlineData("{\"model\":\"echo/a+delay=abc\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "invalid_value", "model")]
    [InlineData("{\"model\":\"nope/a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "model_not_found", "model")]
    [InlineData("{\"model\":\"echo/\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model_not_found", "model")]
    public async Task EachBadRequestGetsItsStatusAndAnOpenAIErrorObject(string body, int status, string code, string? param)
    {
        using var response = await _http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task BodyOverTheLimitIsA413()
    {
        var huge = "{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', 100 * 1024) + "\"}]}";

        using var response = await _http.PostAsync("/v1/chat/completions", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains("65536", error.GetProperty("message").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimitIsA413Too()
    {
        var huge = "{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', 100 * 1024) + "\"}]}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task UnknownFieldsAreIgnored()
    {
        using var response = await _http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"echo/a","messages":[{"role":"user","content":"ok","weird":1}],"logit_bias":{"1":2},"service_tier":"auto","store":false}""",
            Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task AssertStillServingAsync()
    {
        using var response = await _http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"echo/a","messages":[{"role":"user","content":"still here"}]}""", Encoding.UTF8, "application/json"), Ct);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("still here", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
