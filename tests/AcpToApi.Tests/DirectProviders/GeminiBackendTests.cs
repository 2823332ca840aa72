using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>The gemini/ backend against the fake's Gemini endpoint: the exact request and the translated streams.</summary>
public sealed class GeminiBackendTests : FakeUpstreamGatewayTest
{
    private const string Key = "AIza-test-key";

    protected override Dictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["GEMINI_BASE_URL"] = FakeRoot,
        ["GOOGLE_API_KEY"] = Key,
    };

    private ChatClient Client() => new("gemini/gemini-2.0-flash", new ApiKeyCredential("none"),
        new OpenAIClientOptions { Endpoint = Gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task StreamsTextAndSendsTheExactRequest()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Bon", "jour"], InputTokens = 8, OutputTokens = 2 });

        var (deltas, usage, _, _) = await StreamedChat.CollectAsync(Client().CompleteChatStreamingAsync([new SystemChatMessage("Be French."), new UserChatMessage("Hello")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 64 }, Ct));

        Assert.Equal(["Bon", "jour"], deltas);
        Assert.Equal((8, 2), (usage!.InputTokenCount, usage.OutputTokenCount));
        var sent = Fake.Requests.Single();
        Assert.Equal("/v1beta/models/gemini-2.0-flash:streamGenerateContent", sent.Path);
        Assert.Equal("?alt=sse", sent.QueryString);
        Assert.Equal(Key, sent.Headers["x-goog-api-key"]);
        Assert.DoesNotContain("key=", sent.QueryString);
        var body = sent.Json!.Value;
        Assert.Equal("Be French.", body.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("user", body.GetProperty("contents")[0].GetProperty("role").GetString());
        Assert.Equal("Hello", body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(0.5, body.GetProperty("generationConfig").GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(64, body.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
    }

    [Fact]
    public async Task ThoughtsBecomeReasoningAndFunctionCallsRoundTrip()
    {
        Fake.Enqueue(new FakeScript
        {
            Reasoning = ["Two ", "lookups."],
            Tokens = [],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}"""), new FakeToolCall("get_time", """{"tz":"CET"}""")],
        });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold", " and late."] });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions", """
            {"model":"gemini/gemini-2.5-pro","stream":true,"messages":[{"role":"user","content":"weather and time"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},{"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}]}
            """, Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        var deltas = frames.Where(f => f.Data != "[DONE]").Select(f => f.Json.GetProperty("choices")[0].GetProperty("delta")).ToList();
        Assert.Equal("Two lookups.", string.Concat(deltas.Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString())));
        var starts = deltas.Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("tool_calls")[0]).Where(c => c.TryGetProperty("id", out _)).ToList();
        Assert.Equal(["get_weather", "get_time"], starts.Select(c => c.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("tool_calls", frames[^2].Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        var ids = starts.Select(c => c.GetProperty("id").GetString()!).ToList();
        using var second = await http.PostAsync("/v1/chat/completions", new StringContent($$$"""
            {"model":"gemini/gemini-2.5-pro","messages":[
              {"role":"user","content":"weather and time"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"{{{ids[0]}}}","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}},
                {"id":"{{{ids[1]}}}","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}}]},
              {"role":"tool","tool_call_id":"{{{ids[0]}}}","content":"-3 C"},
              {"role":"tool","tool_call_id":"{{{ids[1]}}}","content":"23:10"}]}
            """, Encoding.UTF8, "application/json"), Ct);
        var answer = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Cold and late.", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        var contents = Fake.Requests[1].Json!.Value.GetProperty("contents");
        var model = contents[1];
        Assert.Equal("model", model.GetProperty("role").GetString());
        Assert.Equal("Oslo", model.GetProperty("parts")[0].GetProperty("functionCall").GetProperty("args").GetProperty("city").GetString());
        var responses = contents.EnumerateArray().Skip(2).SelectMany(c => c.GetProperty("parts").EnumerateArray()).Select(p => p.GetProperty("functionResponse")).ToList();
        Assert.Equal(["get_weather", "get_time"], responses.Select(r => r.GetProperty("name").GetString()));
        Assert.Contains("-3 C", responses[0].GetProperty("response").GetRawText());
    }

    [Fact]
    public async Task ErrorsKeepStatusAndRetryAfter()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "Resource has been exhausted", RetryAfterSeconds = 9 });
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(429, limited.Status);
        Assert.Contains("Resource has been exhausted", limited.Message);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("9", retryAfter);

        Fake.Enqueue(new FakeScript { Status = 500, ErrorMessage = "internal" });
        Assert.Equal(502, (await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct))).Status);
    }

    [Fact]
    public async Task MidStreamErrorIsInBandThroughTheAnthropicEndpoint()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], ErrorAfterTokens = 1, ErrorMessage = "backend died" });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"gemini/gemini-2.0-flash","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Contains(frames, f => f.Event == "content_block_delta" && f.Json.GetProperty("delta").GetProperty("text").GetString() == "a");
        Assert.Equal("error", frames[^1].Event);
        Assert.Contains("backend died", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ModelsAreListedWithThePrefix()
    {
        using var http = Gateway.CreateHttpClient();
        var ids = JsonDocument.Parse(await http.GetStringAsync("/v1/models", Ct)).RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString());
        Assert.Contains("gemini/fake-gemini", ids);
    }

    [Fact]
    public async Task MissingKeyNamesTheVariables()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var client = new ChatClient("gemini/gemini-2.0-flash", new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint });
        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(401, error.Status);
        Assert.Contains("GEMINI_API_KEY", error.Message);
    }
}
