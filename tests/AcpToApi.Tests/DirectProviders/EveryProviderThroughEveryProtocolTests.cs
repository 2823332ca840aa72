using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>
/// Every direct-provider row, pointed at the fake through its users' own variables, answers a streamed
/// request on each client protocol: OpenAI chat completions, Anthropic Messages and Gemini.
/// </summary>
public sealed class EveryProviderThroughEveryProtocolTests : FakeUpstreamGatewayTest
{
    // prefix, key variable, base-URL variable (up to and including the version path): what users already export.
    private static readonly (string Prefix, string Key, string BaseUrl)[] BrandRows =
    [
        ("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
        ("groq", "GROQ_API_KEY", "GROQ_BASE_URL"),
        ("openrouter", "OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"),
        ("together", "TOGETHER_API_KEY", "TOGETHER_BASE_URL"),
        ("deepseek", "DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL"),
        ("xai", "XAI_API_KEY", "XAI_BASE_URL"),
        ("cerebras", "CEREBRAS_API_KEY", "CEREBRAS_BASE_URL"),
        ("perplexity", "PERPLEXITY_API_KEY", "PERPLEXITY_BASE_URL"),
        ("mistral", "MISTRAL_API_KEY", "MISTRAL_BASE_URL"),
        ("fireworks", "FIREWORKS_API_KEY", "FIREWORKS_BASE_URL"),
    ];

    public static TheoryData<string, string, string> Brands => new(BrandRows.Select(r => (r.Prefix, r.Key, r.BaseUrl)));

    protected override Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = FakeRoot,
            ["ANTHROPIC_API_KEY"] = "k-anthropic",
            ["GEMINI_BASE_URL"] = FakeRoot,
            ["GEMINI_API_KEY"] = "k-gemini",
            ["OLLAMA_URL"] = FakeRoot,
            ["BEDROCK_BASE_URL"] = FakeRoot,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
        };
        foreach (var (prefix, key, baseUrl) in BrandRows)
        {
            environment[key] = "k-" + prefix;
            environment[baseUrl] = FakeRoot + "/v1";
        }
        return environment;
    }

    [Theory]
    [MemberData(nameof(Brands))]
    public async Task EachOpenAICompatibleBrandUsesItsOwnVariables(string prefix, string keyVariable, string baseUrlVariable)
    {
        // Only this brand's two variables: the request can reach the fake, with that key, through nothing else.
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            [keyVariable] = "k-" + prefix,
            [baseUrlVariable] = FakeRoot + "/v1",
        });
        ForgetStartupProbes(gateway);
        using var http = gateway.CreateHttpClient();
        Fake.Enqueue(new FakeScript { Tokens = ["from ", prefix] });

        var text = await OpenAIStreamAsync(http, $"{prefix}/some-model");

        Assert.Equal($"from {prefix}", text);
        var sent = Fake.Requests.Single();
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal($"Bearer k-{prefix}", sent.Headers["Authorization"]);
        Assert.Equal("some-model", sent.Json!.Value.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("openai/m", "/v1/chat/completions")]
    [InlineData("groq/m", "/v1/chat/completions")]
    [InlineData("anthropic/claude-x", "/v1/messages")]
    [InlineData("gemini/gemini-x", "/v1beta/models/gemini-x:streamGenerateContent")]
    [InlineData("ollama/llama3.2", "/api/chat")]
    [InlineData("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", "/model/anthropic.claude-3-5-sonnet-20241022-v2:0/converse-stream")]
    public async Task EveryRowStreamsThroughAllThreeProtocols(string model, string upstreamPath)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["one", " two"] });
        Fake.Enqueue(new FakeScript { Tokens = ["one", " two"] });
        Fake.Enqueue(new FakeScript { Tokens = ["one", " two"] });

        Assert.Equal("one two", await OpenAIStreamAsync(Http, model));
        Assert.Equal("one two", await AnthropicStreamAsync(model));
        Assert.Equal("one two", await GeminiStreamAsync(model));

        Assert.Equal(3, Fake.Requests.Count(r => r.Path == upstreamPath));
    }

    private static async Task<string> OpenAIStreamAsync(HttpClient http, string model)
    {
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            JsonSerializer.Serialize(new { model, stream = true, messages = new[] { new { role = "user", content = "hi" } } }), Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        Assert.Equal("[DONE]", frames[^1].Data);
        return RawSse.Content(frames);
    }

    private async Task<string> AnthropicStreamAsync(string model)
    {
        using var response = await RawSse.PostAsync(Http, "/v1/messages",
            JsonSerializer.Serialize(new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = "hi" } } }), Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        Assert.Equal("message_stop", frames[^1].Event);
        return string.Concat(frames.Where(f => f.Event == "content_block_delta").Select(f => f.Json.GetProperty("delta"))
            .Where(d => d.GetProperty("type").GetString() == "text_delta").Select(d => d.GetProperty("text").GetString()));
    }

    private async Task<string> GeminiStreamAsync(string model)
    {
        using var response = await RawSse.PostAsync(Http, $"/v1beta/models/{Uri.EscapeDataString(model)}:streamGenerateContent?alt=sse",
            """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        Assert.Equal("STOP", frames[^1].Json.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        return string.Concat(frames.SelectMany(f => f.Json.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
            .Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));
    }
}
