using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>The anthropic/ backend against the fake's Messages endpoint: the exact request we send and what clients get back.</summary>
public sealed class AnthropicBackendTests : FakeUpstreamGatewayTest
{
    private const string Key = "sk-ant-test";

    protected override Dictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["ANTHROPIC_BASE_URL"] = FakeRoot,
        ["ANTHROPIC_API_KEY"] = Key,
    };

    private ChatClient Client() => new("anthropic/claude-sonnet-4-5", new ApiKeyCredential("none"),
        new OpenAIClientOptions { Endpoint = Gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task OpenAIClientStreamsFromAnthropicAndTheRequestIsExact()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Hel", "lo", "!"], InputTokens = 30, OutputTokens = 3 });

        var (deltas, usage, _, _) = await StreamedChat.CollectAsync(Client().CompleteChatStreamingAsync(
            [new SystemChatMessage("Be kind."), new UserChatMessage("Greet me")],
            new ChatCompletionOptions { Temperature = 0.3f, StopSequences = { "END" } }, Ct));

        Assert.Equal(["Hel", "lo", "!"], deltas);
        Assert.Equal(30, usage!.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        var sent = Fake.Requests.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(Key, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal(
            """{"model":"claude-sonnet-4-5","max_tokens":4096,"system":"Be kind.","messages":[{"role":"user","content":[{"type":"text","text":"Greet me"}]}],"stream":true,"stop_sequences":["END"],"temperature":0.3}""",
            sent.Body);
    }

    [Fact]
    public async Task ParallelToolCallRoundTripUsesAnthropicShapes()
    {
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "toolu_a"), new FakeToolCall("get_time", """{"tz":"CET"}""", "toolu_b")],
        });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold", " and late."] });
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather"), ChatTool.CreateFunctionTool("get_time") },
            AllowParallelToolCalls = true,
        };
        List<ChatMessage> messages = [new UserChatMessage("Weather and time?")];

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(["toolu_a", "toolu_b"], first.ToolCalls.Select(c => c.Id));
        Assert.Equal("""{"tz":"CET"}""", first.ToolCalls[1].FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_a", "-3 C"));
        messages.Add(new ToolChatMessage("toolu_b", "23:10"));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal("Cold and late.", second.Content.Single().Text);
        var body = Fake.Requests[1].Json!.Value;
        var sentMessages = body.GetProperty("messages");
        Assert.Equal(3, sentMessages.GetArrayLength());
        var assistant = sentMessages[1].GetProperty("content");
        Assert.Equal(["tool_use", "tool_use"], assistant.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Oslo", assistant[0].GetProperty("input").GetProperty("city").GetString());
        var results = sentMessages[2];
        Assert.Equal("user", results.GetProperty("role").GetString());
        Assert.Equal(["toolu_a", "toolu_b"], results.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("tool_use_id").GetString()));
        Assert.Equal("23:10", results.GetProperty("content")[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("get_weather", body.GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task ThinkingSignaturesSurviveAnthropicToAnthropicByteForByte()
    {
        const string signature = "EqQBCkYIBxgCKkBv+/sig==";
        Fake.Enqueue(new FakeScript { Reasoning = ["Think", "ing."], Signature = signature, Tokens = ["Answer."] });
        Fake.Enqueue(new FakeScript { Tokens = ["Again."] });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"anthropic/claude-sonnet-4-5","max_tokens":4000,"stream":true,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[{"role":"user","content":"q"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        var signatureDelta = frames.Single(f => f.Event == "content_block_delta" && f.Json.GetProperty("delta").GetProperty("type").GetString() == "signature_delta");
        Assert.Equal(signature, signatureDelta.Json.GetProperty("delta").GetProperty("signature").GetString());
        Assert.Equal(2000, Fake.Requests[0].Json!.Value.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());

        using var followUp = await http.PostAsync("/v1/messages", new StringContent($$"""
            {"model":"anthropic/claude-sonnet-4-5","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[
              {"role":"user","content":"q"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"Thinking.","signature":"{{signature}}"},{"type":"text","text":"Answer."}]},
              {"role":"user","content":"and?"}]}
            """, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var thinking = Fake.Requests[1].Json!.Value.GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal("thinking", thinking.GetProperty("type").GetString());
        Assert.Equal(signature, thinking.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task RateLimitKeepsRetryAfterAndServerErrorsAre502()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "too many", RetryAfterSeconds = 12 });
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(429, limited.Status);
        Assert.Contains("too many", limited.Message);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("12", retryAfter);

        Fake.Enqueue(new FakeScript { Status = 500, ErrorMessage = "internal" });
        var failed = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(502, failed.Status);
    }

    [Fact]
    public async Task MidStreamErrorEventBecomesAnInBandError()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], ErrorAfterTokens = 2, ErrorMessage = "overloaded now" });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"anthropic/claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("ab", RawSse.Content(frames));
        Assert.Contains("overloaded now", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");
    }

    [Fact]
    public async Task MissingKeyNamesTheVariable()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var client = new ChatClient("anthropic/claude-sonnet-4-5", new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(401, error.Status);
        Assert.Contains("ANTHROPIC_API_KEY", error.Message);
    }
}
