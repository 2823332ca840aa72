using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using AcpToApi.Configuration;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.OpenAISdk;

/// <summary>The openai/ backend against the fake upstream, judged by the official OpenAI .NET SDK and by raw SSE.</summary>
public sealed class OpenAIBackendTests : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => OpenAIUpstream.Environment(Fake);

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

    protected override Dictionary<string, string?> Settings() => new() { ["idleTimeoutSeconds"] = "2" };

    private ChatClient Client(string model = "openai/gpt-4o") => new(model, new ApiKeyCredential("none"),
        new OpenAIClientOptions { Endpoint = Gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task TextDeltasReachTheClientWhileTheUpstreamHoldsItsNextTokenOneFrameEach()
    {
        var tokens = Enumerable.Range(0, 10).Select(i => $" t{i}").ToArray();
        Fake.Enqueue(new FakeScript { Tokens = tokens, HoldAfterTokens = 3 });

        var streamed = await StreamedChat.CollectAsync(Client().CompleteChatStreamingAsync([new UserChatMessage("count")], cancellationToken: Ct),
            heldAfter: 3, () => Task.FromResult(Assert.Single(Fake.Requests)));

        Assert.Equal(tokens, streamed.Deltas); // one frame per upstream delta: nothing coalesced, nothing lost
    }

    [Fact]
    public async Task TheUpstreamGetsTheBackendModelStreamingUsageAndTheKey()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        Fake.Enqueue(new FakeScript { ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold."] });
        List<ChatMessage> messages = [new SystemChatMessage("Be terse."), new UserChatMessage("Weather in Oslo?")];
        var options = new ChatCompletionOptions { Tools = { tool }, Temperature = 0.5f, MaxOutputTokenCount = 50 };

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_1", "-3 C"));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("""{"city":"Oslo"}""", first.ToolCalls.Single().FunctionArguments.ToString());
        Assert.Equal("Cold.", second.Content.Single().Text);

        var sent = Fake.Requests[1];
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + OpenAIUpstream.Key, sent.Headers["Authorization"]);
        var body = sent.Json!.Value;
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(50, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("get_weather", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        var roles = body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToArray();
        Assert.Equal(["system", "user", "assistant", "tool"], roles);
        var assistant = body.GetProperty("messages")[2];
        Assert.Equal("call_1", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        var toolMessage = body.GetProperty("messages")[3];
        Assert.Equal("call_1", toolMessage.GetProperty("tool_call_id").GetString());
        Assert.Equal("-3 C", toolMessage.GetProperty("content").GetString());
    }

    [Fact]
    public async Task AToolMessagesNameRoundTripsOnlyWhenTheClientSentIt()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["ok"] });
        const string body = """
            {"model":"openai/gpt-4o","messages":[
              {"role":"user","content":"two lookups"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{}"}},
                {"id":"call_b","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_a","name":"lookup_v2","content":"A"},
              {"role":"tool","tool_call_id":"call_b","content":"B"}]}
            """;

        using var response = await Http.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(200, (int)response.StatusCode);
        var messages = Fake.Requests.Single().Json!.Value.GetProperty("messages");
        Assert.Equal("lookup_v2", messages[2].GetProperty("name").GetString()); // the client's, not the call's "lookup"
        Assert.Equal("call_a", messages[2].GetProperty("tool_call_id").GetString());
        // Not invented when the client left it out: strict OpenAI-compatible servers reject an unexpected name.
        Assert.False(messages[3].TryGetProperty("name", out _));
        Assert.Equal("call_b", messages[3].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task ReasoningAndParallelToolCallsSurviveOnTheWire()
    {
        Fake.Enqueue(new FakeScript
        {
            Reasoning = ["Let me ", "think."],
            Tokens = [],
            ToolCalls = [new FakeToolCall("a", """{"x":1}""", "call_a"), new FakeToolCall("b", """{"y":2}""", "call_b")],
        });
        using var http = Gateway.CreateHttpClient();
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"openai/m","stream":true,"messages":[{"role":"user","content":"go"}],"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("[DONE]", frames[^1].Data);
        var chunks = frames.SkipLast(1).Select(f => f.Json).ToList();
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
        Assert.Equal("Let me think.", string.Concat(deltas.Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString())));
        var calls = deltas.Where(d => d.TryGetProperty("tool_calls", out _)).SelectMany(d => d.GetProperty("tool_calls").EnumerateArray()).ToList();
        var starts = calls.Where(c => c.TryGetProperty("id", out _)).ToList();
        Assert.Equal(["call_a", "call_b"], starts.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([0, 1], starts.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(starts, c => Assert.Equal("", c.GetProperty("function").GetProperty("arguments").GetString()));
        string Args(int index) => string.Concat(calls.Where(c => c.GetProperty("index").GetInt32() == index).Select(c => c.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal("""{"x":1}""", Args(0));
        Assert.Equal("""{"y":2}""", Args(1));
        Assert.Equal("tool_calls", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("usage", out _)); // the client did not ask for usage
    }

    [Fact]
    public async Task UpstreamRateLimitIsA429WithItsRetryAfter()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "slow down", RetryAfterSeconds = 7 });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(429, error.Status);
        Assert.Contains("slow down", error.Message);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("7", retryAfter);
    }

    [Theory]
    [InlineData(500, 502)]
    [InlineData(401, 401)]
    [InlineData(400, 400)]
    [InlineData(503, 503)]
    public async Task UpstreamStatusesMapHonestly(int upstream, int expected)
    {
        Fake.Enqueue(new FakeScript { Status = upstream, ErrorMessage = "upstream says no" });

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in Client().CompleteChatStreamingAsync([new UserChatMessage("hi")], cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(expected, error.Status);
        Assert.Contains("upstream says no", error.Message);
    }

    [Fact]
    public async Task MidStreamUpstreamErrorBecomesAnErrorChunkAndNoDone()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c", "d"], ErrorAfterTokens = 2, ErrorMessage = "boom" });
        using var http = Gateway.CreateHttpClient();
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"openai/m","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ab", RawSse.Content(frames));
        var last = frames[^1].Json;
        Assert.Contains("boom", last.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");
        Assert.DoesNotContain(frames.Where(f => f.Json.TryGetProperty("choices", out _)),
            f => f.Json.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task TruncatedUpstreamIsReportedNotPassedOffAsComplete()
    {
        // Cut only once the client has the first delta, so it has surely left the fake before the connection goes.
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], HoldAfterTokens = 1, AbortAfterTokens = 1 });
        using var http = Gateway.CreateHttpClient();
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"openai/m","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var (_, frames) = await reader.ReadWhileHoldingAsync(f => RawSse.Content([f]) == "a", () => Assert.Single(Fake.Requests), "the delta before the cut");

        Assert.Equal("a", RawSse.Content(frames));
        Assert.True(frames[^1].Json.TryGetProperty("error", out _), "the stream must end with an error chunk");
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");
    }

    [Fact]
    public async Task SilentUpstreamIsA504BeforeTheFirstByte()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["never"], StallAfterTokens = 0 });
        using var http = Gateway.CreateHttpClient();
        var sending = RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"openai/m","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var upstream = await Fake.WaitForRequestAsync(r => r.Path == "/v1/chat/completions", Eventually.Bound, Ct);

        await Clock.AdvanceUntilAsync(sending, IdleTimeout, "the idle timeout ending the silent request");
        using var response = await sending;

        Assert.Equal(504, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains("idle timeout", body.GetProperty("error").GetProperty("message").GetString());
        var outcome = await Eventually.WaitAsync(upstream.Completion, "the upstream request ending");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind); // the gateway hung up on the stalled upstream
    }

    [Fact]
    public async Task ClientDisconnectClosesTheUpstreamRequest()
    {
        // The upstream would stay open for ever (and the clock, hence the idle timeout, stands still): only the client's leaving can end it.
        Fake.Enqueue(new FakeScript { Tokens = [" x", " y"], StallAfterTokens = 1 });
        // A client that really hangs up: no draining of the rest of the response for connection reuse.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Gateway.BaseUrl };
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"openai/m","stream":true,"messages":[{"role":"user","content":"go"}]}""", abort.Token);
        await RawSse.ReadFramesAsync(response, abort.Token, stopAfter: f => RawSse.Content([f]).Length > 0);
        var upstream = Fake.Requests.Single();

        response.Dispose();
        await abort.CancelAsync();

        var outcome = await Eventually.WaitAsync(upstream.Completion, "the upstream request closing after the client left");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind);
        Assert.Equal(1, upstream.TokensSent);
    }

    [Fact]
    public async Task MissingKeyIsA401NamingTheVariable()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["OPENAI_BASE_URL"] = new Uri(Fake.BaseUrl, "v1").ToString() });
        var client = new ChatClient("openai/gpt-4o", new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(401, error.Status);
        Assert.Contains("OPENAI_API_KEY", error.Message);
        Assert.Empty(Fake.Requests);
    }

    [Fact]
    public async Task UnreachableUpstreamIsA503()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = $"http://127.0.0.1:{port}/v1",
            ["OPENAI_API_KEY"] = "k",
        });
        var client = new ChatClient("openai/gpt-4o", new ApiKeyCredential("none"),
            new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(503, error.Status);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }
}
