using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.Configuration;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AnthropicSdk;

/// <summary>Anthropic in, OpenAI upstream (the fake), Anthropic out: exact event order and honest errors.</summary>
public sealed class AnthropicCrossProtocolTests : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => OpenAIUpstream.Environment(Fake);

    protected override Dictionary<string, string?> Settings() => new() { ["anthropicModelBackend"] = "openai" };

    private async Task<List<SseFrame>> StreamAsync(string body)
    {
        using var response = await RawSse.PostAsync(Http, "/v1/messages", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await RawSse.ReadFramesAsync(response, Ct);
    }

    private static void AssertWellFormed(List<SseFrame> frames)
    {
        Assert.All(frames, f => Assert.Equal(f.Event, f.Json.GetProperty("type").GetString())); // every event has event: and data:
        var names = frames.Select(f => f.Event).Where(e => e != "ping").ToList();
        Assert.Equal("message_start", names[0]);
        Assert.Equal(["message_delta", "message_stop"], names[^2..]);
        int? open = null;
        var next = 0;
        foreach (var frame in frames.Where(f => f.Event!.StartsWith("content_block", StringComparison.Ordinal)))
        {
            var index = frame.Json.GetProperty("index").GetInt32();
            switch (frame.Event)
            {
                case "content_block_start":
                    Assert.Null(open);             // one block open at a time
                    Assert.Equal(next++, index);   // contiguous from 0
                    open = index;
                    break;
                case "content_block_delta":
                    Assert.Equal(open, index);
                    break;
                case "content_block_stop":
                    Assert.Equal(open, index);
                    open = null;
                    break;
            }
        }
        Assert.Null(open);
    }

    [Fact]
    public async Task ReasoningTextAndParallelToolCallsBecomeAnthropicBlocks()
    {
        Fake.Enqueue(new FakeScript
        {
            Reasoning = ["Let me ", "check."],
            Tokens = ["Checking", " both."],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_1"), new FakeToolCall("get_time", """{"tz":"CET"}""", "call_2")],
            InputTokens = 21,
            OutputTokens = 9,
        });

        var frames = await StreamAsync("""
            {"model":"openai/gpt-4o","max_tokens":200,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}},{"name":"get_time","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"Weather and time in Oslo?"}]}
            """);

        AssertWellFormed(frames);
        var starts = frames.Where(f => f.Event == "content_block_start").Select(f => f.Json.GetProperty("content_block")).ToList();
        Assert.Equal(["thinking", "text", "tool_use", "tool_use"], starts.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(["call_1", "call_2"], starts.Skip(2).Select(b => b.GetProperty("id").GetString()));
        Assert.All(starts.Skip(2), b => Assert.Equal("{}", b.GetProperty("input").GetRawText()));
        string Deltas(int index, string field) => string.Concat(frames
            .Where(f => f.Event == "content_block_delta" && f.Json.GetProperty("index").GetInt32() == index)
            .Select(f => f.Json.GetProperty("delta"))
            .Where(d => d.TryGetProperty(field, out _))
            .Select(d => d.GetProperty(field).GetString()));
        Assert.Equal("Let me check.", Deltas(0, "thinking"));
        Assert.Equal("Checking both.", Deltas(1, "text"));
        Assert.Equal("""{"city":"Oslo"}""", Deltas(2, "partial_json"));
        Assert.Equal("""{"tz":"CET"}""", Deltas(3, "partial_json"));
        var delta = frames.Single(f => f.Event == "message_delta").Json;
        Assert.Equal("tool_use", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(9, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(21, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task ToolCallsAnnouncedBeforeTheirArgumentsEachKeepTheirOwnArguments()
    {
        // Some OpenAI-compatible upstreams name every call first, then stream each call's arguments.
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("a", """{"x":1}""", "call_a"), new FakeToolCall("b", """{"y":2}""", "call_b")],
            AnnounceToolCallsFirst = true,
        });

        var frames = await StreamAsync("""
            {"model":"openai/gpt-4o","max_tokens":200,"stream":true,
             "tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"both"}]}
            """);

        AssertWellFormed(frames);
        var starts = frames.Where(f => f.Event == "content_block_start").ToList();
        Assert.Equal(["call_a", "call_b"], starts.Select(f => f.Json.GetProperty("content_block").GetProperty("id").GetString()));
        string Arguments(int index) => string.Concat(frames
            .Where(f => f.Event == "content_block_delta" && f.Json.GetProperty("index").GetInt32() == index)
            .Select(f => f.Json.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("""{"x":1}""", Arguments(starts[0].Json.GetProperty("index").GetInt32()));
        Assert.Equal("""{"y":2}""", Arguments(starts[1].Json.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task ToolResultRoundTripReachesTheUpstreamAsOpenAIToolMessages()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Cold."] });

        using var response = await Http.PostAsync("/v1/messages", new StringContent("""
            {"model":"openai/gpt-4o","max_tokens":200,"system":[{"type":"text","text":"Be terse."}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
             "messages":[
               {"role":"user","content":"Weather?"},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"city":"Oslo"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"-3 C"}]}
             ]}
            """, Encoding.UTF8, "application/json"), Ct);

        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("Cold.", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
        var sent = Fake.Requests.Single().Json!.Value.GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "tool"], sent.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Be terse.", sent[0].GetProperty("content").GetString());
        Assert.Equal("toolu_9", sent[2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("""{"city":"Oslo"}""", sent[2].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("toolu_9", sent[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("-3 C", sent[3].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("content_filter", "refusal")]
    [InlineData("tool_calls", "tool_use")]
    public async Task EveryFinishReasonMaps(string finish, string stopReason)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["x"], FinishReason = finish });

        var frames = await StreamAsync("""{"model":"openai/m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(stopReason, frames.Single(f => f.Event == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task UpstreamErrorBeforeTheFirstByteIsAnAnthropicErrorWithItsStatus()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "slow down", RetryAfterSeconds = 3 });

        using var response = await RawSse.PostAsync(Http, "/v1/messages", """{"model":"openai/m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("3", response.Headers.GetValues("Retry-After").Single());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("slow down", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpstreamErrorAfterTheFirstByteIsAnErrorEventAndNoMessageStop()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], ErrorAfterTokens = 1, ErrorMessage = "boom" });

        var frames = await StreamAsync("""{"model":"openai/m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("error", frames[^1].Event);
        Assert.Equal("api_error", frames[^1].Json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("boom", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(frames, f => f.Event == "message_stop");
    }

    [Fact]
    public async Task BareClaudeNamesRouteToTheConfiguredBackend()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["ok"] });

        using var response = await Http.PostAsync("/v1/messages", new StringContent(
            """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);

        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("claude-sonnet-4-5", message.GetProperty("model").GetString());
        Assert.Equal("claude-sonnet-4-5", Fake.Requests.Single().Json!.Value.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("""{"model":"nope/x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", 404, "not_found_error")]
    [InlineData("""{"model":"echo/x","max_tokens":5}""", 400, "invalid_request_error")]
    [InlineData("""{"model":"echo/x",""", 400, "invalid_request_error")]
    public async Task BadRequestsGetAnthropicShapedErrors(string body, int status, string type)
    {
        using var response = await Http.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(type, error.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task CountTokensUsesARealTokenizer()
    {
        async Task<int> CountAsync(string body)
        {
            using var response = await Http.PostAsync("/v1/messages/count_tokens", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("input_tokens").GetInt32();
        }

        var hello = await CountAsync("""{"model":"echo/x","messages":[{"role":"user","content":"Hello, world!"}]}""");
        var withSystem = await CountAsync("""{"model":"echo/x","system":"You are terse.","messages":[{"role":"user","content":"Hello, world!"}]}""");
        var withImage = await CountAsync("""{"model":"echo/x","messages":[{"role":"user","content":[{"type":"text","text":"Hello, world!"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}""");

        Assert.Equal(3 + 4, hello); // cl100k_base: "Hello", ",", " world", "!" plus 3 tokens of message framing
        Assert.Equal(hello + 3 + 4, withSystem);
        Assert.Equal(hello + 1600, withImage);
        Assert.Empty(Fake.Requests); // counting never calls a backend
    }

    [Fact]
    public async Task ApiKeyIsAcceptedAsXApiKey()
    {
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "k1" });
        using var http = gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"echo/x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var refused = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("authentication_error", JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("type").GetString());

        using var again = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"echo/x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        again.Headers.Add("x-api-key", "k1");
        again.Headers.Add("anthropic-version", "2023-06-01");
        using var accepted = await http.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task LongSilencesGetPingsAndOpenAIStreamsGetComments()
    {
        var clock = new FakeClock();
        var keepAlive = TimeSpan.FromSeconds(1);
        var wordDelay = TimeSpan.FromSeconds(5);
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["keepAliveSeconds"] = "1" }, time: clock);
        using var http = gateway.CreateHttpClient();

        var anthropic = await EchoSilence.StreamAsync(http, clock, "/v1/messages",
            """{"model":"echo/x+delay=5000","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"a b"}]}""",
            wordDelay, keepAlive, "\"text\":\"a \"", "event: ping");
        using var frames = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes(anthropic)));
        var events = (await frames.ReadToEndAsync(Ct)).Select(f => f.Event).ToList();
        var firstText = events.IndexOf("content_block_delta");
        var secondText = events.LastIndexOf("content_block_delta");
        Assert.Contains("ping", events[firstText..secondText]);
        Assert.Equal("message_stop", events[^1]);

        var openai = await EchoSilence.StreamAsync(http, clock, "/v1/chat/completions",
            """{"model":"echo/x+delay=5000","stream":true,"messages":[{"role":"user","content":"a b"}]}""",
            wordDelay, keepAlive, "\"content\":\"a \"", ": keep-alive");
        Assert.Contains("\n\n: keep-alive\n\n", openai);
        Assert.EndsWith("data: [DONE]\n\n", openai);
    }
}
