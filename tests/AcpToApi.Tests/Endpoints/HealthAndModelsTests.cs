using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

public sealed class HealthAndModelsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthListsEveryBackendWithoutCreatingWork()
    {
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        await using var gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(fake));
        using var http = gateway.CreateHttpClient();

        var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct)).RootElement;

        Assert.Equal("ok", health.GetProperty("status").GetString());
        var backends = health.GetProperty("backends").EnumerateArray().ToDictionary(b => b.GetProperty("prefix").GetString()!);
        Assert.True(backends["echo"].GetProperty("reachable").GetBoolean());
        var openai = backends["openai"];
        Assert.True(openai.GetProperty("configured").GetBoolean());
        Assert.True(openai.GetProperty("reachable").GetBoolean());
        Assert.True(openai.GetProperty("latency_ms").GetDouble() >= 0);
        var groq = backends["groq"];
        Assert.False(groq.GetProperty("configured").GetBoolean());
        Assert.Contains("GROQ_API_KEY", groq.GetProperty("detail").GetString());
        // The probe is a model listing, never a completion.
        Assert.DoesNotContain(fake.Requests, r => r.Path.Contains("chat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModelsListsEchoAndConfiguredBackendsModelsWithPrefixes()
    {
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        await using var gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(fake));
        using var http = gateway.CreateHttpClient();

        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/models", Ct)).RootElement;

        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("echo/hello", ids);
        Assert.Contains("openai/fake-model", ids);
        Assert.DoesNotContain(ids, id => id!.StartsWith("groq/", StringComparison.Ordinal)); // no key, no listing
        Assert.All(list.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task ConfigFileProvidersAddABackendWithoutCode()
    {
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, $$"""{ "providers": [ { "prefix": "local", "baseUrl": "{{new Uri(fake.BaseUrl, "v1")}}" } ] }""", Ct);
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["config"] = config });
        File.Delete(config);
        fake.Enqueue(new FakeScript { Tokens = ["from", " local"] });
        using var http = gateway.CreateHttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"local/my-model","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("from local", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var sent = fake.Requests.Single(r => r.Path == "/v1/chat/completions");
        Assert.Equal("my-model", sent.Json!.Value.GetProperty("model").GetString());
        Assert.False(sent.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task PlaygroundPageIsServedAtTheRoot()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();

        using var response = await http.GetAsync("/", Ct);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<title>acptoapi playground</title>", page);
        Assert.Contains("/chat/completions", page);
        Assert.Contains("reasoning_content", page);
    }
}
