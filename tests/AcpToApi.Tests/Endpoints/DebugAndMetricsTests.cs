using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AcpToApi.Configuration;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

public sealed class DebugAndMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MetricsCountEachExchangeInPrometheusFormat()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();
        var outputTokens = 0;
        for (var i = 0; i < 2; i++)
        {
            using var response = await PostAsync(http, """{"model":"echo/metrics-probe","messages":[{"role":"user","content":"count me please"}]}""");
            outputTokens += JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        }
        using (var streamed = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"echo/metrics-probe","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"and me"}]}""", Ct))
        {
            var frames = await RawSse.ReadFramesAsync(streamed, Ct);
            outputTokens += frames.Single(f => f.Data != "[DONE]" && f.Json.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
                .Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        }

        var text = await http.GetStringAsync("/metrics", Ct);

        Assert.Contains("# TYPE acptoapi_requests_total counter", text);
        Assert.Equal(2, PrometheusText.Sum(text, "acptoapi_requests_total", ("protocol", "openai"), ("backend", "echo"), ("status", "200"), ("stream", "false")));
        Assert.Equal(1, PrometheusText.Sum(text, "acptoapi_requests_total", ("protocol", "openai"), ("backend", "echo"), ("status", "200"), ("stream", "true")));
        Assert.Equal(outputTokens, PrometheusText.Sum(text, "acptoapi_tokens_total", ("backend", "echo"), ("direction", "output")));
        Assert.True(outputTokens > 0);
        Assert.Equal(3, PrometheusText.Sum(text, "acptoapi_time_to_first_byte_seconds_count", ("protocol", "openai"), ("backend", "echo")));
        Assert.Equal(3, PrometheusText.Sum(text, "acptoapi_request_duration_seconds_count", ("protocol", "openai"), ("backend", "echo")));
        Assert.Contains("acptoapi_time_to_first_byte_seconds_bucket", text);
        Assert.Equal(0, PrometheusText.Sum(text, "acptoapi_active_requests", ("protocol", "openai")));
        Assert.Contains("# TYPE acptoapi_active_requests gauge", text);
    }

    [Fact]
    public async Task TwoGatewaysInOneProcessCountOnlyTheirOwnRequests()
    {
        await using var first = await GatewayServer.StartAsync();
        await using var second = await GatewayServer.StartAsync();
        using var firstHttp = first.CreateHttpClient();
        using var secondHttp = second.CreateHttpClient();
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(firstHttp, """{"model":"echo/one","messages":[{"role":"user","content":"first"}]}""")).Dispose();
        }

        var secondBefore = await secondHttp.GetStringAsync("/metrics", Ct);
        (await PostAsync(secondHttp, """{"model":"echo/two","messages":[{"role":"user","content":"second"}]}""")).Dispose();
        var firstText = await firstHttp.GetStringAsync("/metrics", Ct);
        var secondText = await secondHttp.GetStringAsync("/metrics", Ct);

        Assert.Equal(0, PrometheusText.Sum(secondBefore, "acptoapi_requests_total"));
        Assert.Equal(3, PrometheusText.Sum(firstText, "acptoapi_requests_total"));
        Assert.Equal(1, PrometheusText.Sum(secondText, "acptoapi_requests_total"));
        Assert.Equal(3, PrometheusText.Sum(firstText, "acptoapi_request_duration_seconds_count"));
        Assert.Equal(1, PrometheusText.Sum(secondText, "acptoapi_request_duration_seconds_count"));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body) =>
        http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task ConfigIsShownWithEverySecretRedacted()
    {
        const string providerKey = "sk-very-secret-provider-key";
        await using var gateway = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = providerKey, ["OPENAI_BASE_URL"] = $"http://user:{providerKey}@127.0.0.1:9/v1", ["HOME"] = "/root" },
            new() { ["apiKey"] = "gateway-key-123" });
        using var http = gateway.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "gateway-key-123");

        var text = await http.GetStringAsync("/debug/config", Ct);

        Assert.DoesNotContain(providerKey, text);
        Assert.DoesNotContain("gateway-key-123", text);
        var config = JsonDocument.Parse(text).RootElement;
        Assert.Equal("(redacted)", config.GetProperty("apiKey").GetString());
        Assert.Equal("(redacted)", config.GetProperty("environment").GetProperty("OPENAI_API_KEY").GetString());
        Assert.Equal("(redacted)", config.GetProperty("environment").GetProperty("OPENAI_BASE_URL").GetString()); // redacted by value
        Assert.False(config.GetProperty("environment").TryGetProperty("HOME", out _)); // unrelated variables are not shown
        Assert.Equal(0, config.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task ConfigShowsEverySettingWithItsActiveValue()
    {
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["claudeMaxConcurrency"] = "2", ["corsOrigins:0"] = "http://localhost:5173" });
        await using var idleGiven = await GatewayServer.StartAsync(settings: new() { ["idleTimeoutSeconds"] = "9" });
        using var http = gateway.CreateHttpClient();
        using var idleHttp = idleGiven.CreateHttpClient();

        var config = JsonDocument.Parse(await http.GetStringAsync("/debug/config", Ct)).RootElement;
        var idleConfig = JsonDocument.Parse(await idleHttp.GetStringAsync("/debug/config", Ct)).RootElement;

        Assert.All(SettingsCatalog.All, setting => Assert.True(config.TryGetProperty(setting.Key, out _), setting.Key));
        Assert.Equal(2, config.GetProperty("claudeMaxConcurrency").GetInt32());                 // given
        Assert.Equal(0, config.GetProperty("port").GetInt32());                                  // given by the test server
        Assert.Equal("reject", config.GetProperty("agentPermission").GetString());              // default
        Assert.False(config.GetProperty("allowRemoteWithoutKey").GetBoolean());                  // a switch, not a secret
        Assert.Equal(["http://localhost:5173"], config.GetProperty("corsOrigins").EnumerateArray().Select(o => o.GetString()));
        // A setting several backends carry shows each one's default until it is given, then the one value.
        Assert.Equal(300, config.GetProperty("idleTimeoutSeconds").GetProperty("ollama").GetDouble());
        Assert.Equal(120, config.GetProperty("idleTimeoutSeconds").GetProperty("claude").GetDouble());
        Assert.Equal(9, idleConfig.GetProperty("idleTimeoutSeconds").GetDouble());
    }

    [Fact]
    public async Task ProvidersProbeLiveAndListModels()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();

        var providers = JsonDocument.Parse(await http.GetStringAsync("/debug/providers", Ct)).RootElement.GetProperty("providers").EnumerateArray().ToList();

        var echo = providers.Single(p => p.GetProperty("prefix").GetString() == "echo");
        Assert.True(echo.GetProperty("reachable").GetBoolean());
        Assert.Contains("echo/hello", echo.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        var openai = providers.Single(p => p.GetProperty("prefix").GetString() == "openai");
        Assert.False(openai.GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task TranslateShowsTheNeutralRequestAndEveryEvent()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/debug/translate",
            """{"model":"echo/x+think","messages":[{"role":"system","content":"s"},{"role":"user","content":"hi you"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("request", frames[0].Event);
        Assert.Equal(["system", "user"], frames[0].Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("route", frames[1].Event);
        Assert.Equal("echo", frames[1].Json.GetProperty("backend").GetString());
        Assert.Equal("ResponseStarted", frames[2].Event);
        Assert.Contains(frames, f => f.Event == "SignatureDelta");
        Assert.Equal(["hi ", "you"], frames.Where(f => f.Event == "TextDelta").Select(f => f.Json.GetProperty("text").GetString()));
        Assert.Equal("end_turn", frames[^1].Json.GetProperty("stop_reason").GetString());
    }
}
