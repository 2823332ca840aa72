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

/// <summary>The ollama/ backend against the fake's <c>/api/chat</c> NDJSON: the exact request we send and what clients get back.</summary>
public sealed class OllamaBackendTests : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["OLLAMA_URL"] = FakeRoot,
    };

    private ChatClient Client() => new("ollama/llama3.2", new ApiKeyCredential("none"),
        new OpenAIClientOptions { Endpoint = Gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

    private RecordedRequest ChatRequest(int n = 0) => Fake.Requests.Where(r => r.Path == "/api/chat").ElementAt(n);

    [Fact]
    public async Task OpenAIClientStreamsEachNdjsonLineAndTheRequestIsExact()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Hel", "lo", "!"], InputTokens = 26, OutputTokens = 3 });

        var (deltas, usage, finish, _) = await StreamedChat.CollectAsync(Client().CompleteChatStreamingAsync(
            [new SystemChatMessage("Be kind."), new UserChatMessage("Greet me")],
            new ChatCompletionOptions { Temperature = 0.25f, TopP = 0.5f, MaxOutputTokenCount = 64, StopSequences = { "END" } }, Ct));

        Assert.Equal(["Hel", "lo", "!"], deltas);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(26, usage!.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        var sent = ChatRequest();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("", sent.QueryString);
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        Assert.Equal("application/x-ndjson", sent.Headers["Accept"]);
        // Every header we send (HttpClient's own W3C trace context aside): no key of any kind.
        Assert.Equal(["Accept", "Content-Length", "Content-Type", "Host"],
            sent.Headers.Keys.Where(k => k is not ("traceparent" or "tracestate")).Order(StringComparer.Ordinal));
        Assert.Equal(
            """{"model":"llama3.2","messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"Greet me"}],"stream":true,"options":{"temperature":0.25,"top_p":0.5,"num_predict":64,"stop":["END"]}}""",
            sent.Body);
    }

    [Fact]
    public async Task ThinkingBecomesReasoningContentAndLengthBecomesLength()
    {
        Fake.Enqueue(new FakeScript { Reasoning = ["Let me ", "think."], Tokens = ["Four"], FinishReason = "length" });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"ollama/qwen3","stream":true,"reasoning_effort":"high","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"2+2?"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        var reasoning = frames.Where(f => f.Data != "[DONE]")
            .Select(f => f.Json.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0 && c[0].GetProperty("delta").TryGetProperty("reasoning_content", out _))
            .Select(c => c[0].GetProperty("delta").GetProperty("reasoning_content").GetString());
        Assert.Equal(["Let me ", "think."], reasoning);
        Assert.Equal("Four", RawSse.Content(frames));
        Assert.Contains(frames, f => f.Data != "[DONE]" && f.Json.GetProperty("choices") is { } c && c.GetArrayLength() > 0
            && c[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String && c[0].GetProperty("finish_reason").GetString() == "length");
        Assert.Equal(
            """{"model":"qwen3","messages":[{"role":"user","content":"2+2?"}],"stream":true,"think":true,"format":"json"}""",
            ChatRequest().Body);
    }

    [Fact]
    public async Task AnthropicClientsGetThinkingAndTextBlocks()
    {
        Fake.Enqueue(new FakeScript { Reasoning = ["Hmm."], Tokens = ["Yes", "."], InputTokens = 9, OutputTokens = 4 });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"ollama/qwen3","max_tokens":300,"top_k":5,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"system":"Short.","messages":[{"role":"user","content":"ok?"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        var starts = frames.Where(f => f.Event == "content_block_start").Select(f => f.Json.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(["thinking", "text"], starts);
        var deltas = frames.Where(f => f.Event == "content_block_delta").Select(f => f.Json.GetProperty("delta")).ToList();
        Assert.Equal("Hmm.", deltas[0].GetProperty("thinking").GetString());
        Assert.Equal(["Yes", "."], deltas.Skip(1).Select(d => d.GetProperty("text").GetString()));
        var messageDelta = frames.Single(f => f.Event == "message_delta").Json;
        Assert.Equal("end_turn", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(4, messageDelta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(
            """{"model":"qwen3","messages":[{"role":"system","content":"Short."},{"role":"user","content":"ok?"}],"stream":true,"think":true,"options":{"top_k":5,"num_predict":300}}""",
            ChatRequest().Body);
    }

    [Fact]
    public async Task ParallelToolCallRoundTripUsesOllamaShapes()
    {
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}"""), new FakeToolCall("get_time", """{"tz":"CET"}""")],
        });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold", " and late."] });
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather now", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var options = new ChatCompletionOptions { Tools = { weather, ChatTool.CreateFunctionTool("get_time") } };
        List<ChatMessage> messages = [new UserChatMessage("Weather and time?")];

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(2, first.ToolCalls.Count);
        Assert.All(first.ToolCalls, c => Assert.StartsWith("call_", c.Id, StringComparison.Ordinal));
        Assert.NotEqual(first.ToolCalls[0].Id, first.ToolCalls[1].Id);
        Assert.Equal(["get_weather", "get_time"], first.ToolCalls.Select(c => c.FunctionName));
        Assert.Equal("""{"city":"Oslo"}""", first.ToolCalls[0].FunctionArguments.ToString());
        Assert.Equal(
            """{"model":"llama3.2","messages":[{"role":"user","content":"Weather and time?"}],"stream":true,"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]}""",
            ChatRequest(0).Body);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "-3 C"));
        messages.Add(new ToolChatMessage(first.ToolCalls[1].Id, "23:10"));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal("Cold and late.", second.Content.Single().Text);
        var sentMessages = JsonDocument.Parse(ChatRequest(1).Body).RootElement.GetProperty("messages").GetRawText();
        Assert.Equal(
            """[{"role":"user","content":"Weather and time?"},{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Oslo"}}},{"function":{"name":"get_time","arguments":{"tz":"CET"}}}]},{"role":"tool","content":"-3 C","tool_name":"get_weather"},{"role":"tool","content":"23:10","tool_name":"get_time"}]""",
            sentMessages);
    }

    [Fact]
    public async Task AnthropicClientsGetToolUseBlocksAndSendToolResultsBack()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Checking."], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_given")] });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"ollama/llama3.2","max_tokens":100,"stream":true,"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"Weather?"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        var toolStart = frames.Single(f => f.Event == "content_block_start" && f.Json.GetProperty("content_block").GetProperty("type").GetString() == "tool_use");
        Assert.Equal("call_given", toolStart.Json.GetProperty("content_block").GetProperty("id").GetString());
        Assert.Equal("get_weather", toolStart.Json.GetProperty("content_block").GetProperty("name").GetString());
        var json = frames.Where(f => f.Event == "content_block_delta" && f.Json.GetProperty("delta").GetProperty("type").GetString() == "input_json_delta")
            .Select(f => f.Json.GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(json));
        Assert.Equal("tool_use", frames.Single(f => f.Event == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());

        using var followUp = await http.PostAsync("/v1/messages", new StringContent("""
            {"model":"ollama/llama3.2","max_tokens":100,"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"call_given","name":"get_weather","input":{"city":"Oslo"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_given","content":"-3 C"}]}]}
            """, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var answer = JsonDocument.Parse(await followUp.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Done after tool", answer.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(
            """[{"role":"user","content":"Weather?"},{"role":"assistant","content":"Checking.","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Oslo"}}}]},{"role":"tool","content":"-3 C","tool_name":"get_weather"}]""",
            JsonDocument.Parse(ChatRequest(1).Body).RootElement.GetProperty("messages").GetRawText());
    }

    [Fact]
    public async Task ImagesGoAsBase64AndJsonSchemaAsFormat()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["{}"] });
        using var http = Gateway.CreateHttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent("""
            {"model":"ollama/llava","seed":7,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},
             "messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}
            """, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"model":"llava","messages":[{"role":"user","content":"What is it?","images":["iVBORw0KGgo="]}],"stream":true,"format":{"type":"object"},"options":{"seed":7}}""",
            ChatRequest().Body);
    }

    [Fact]
    public async Task RateLimitKeepsRetryAfterAndServerErrorsAre502()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "server busy", RetryAfterSeconds = 12 });
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(429, limited.Status);
        Assert.Contains("server busy", limited.Message);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("12", retryAfter);

        Fake.Enqueue(new FakeScript { Status = 500, ErrorMessage = "llama runner process has terminated" });
        var failed = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(502, failed.Status);
        Assert.Contains("llama runner process has terminated", failed.Message);

        Fake.Enqueue(new FakeScript { Status = 404, ErrorMessage = "model \"nope\" not found, try pulling it first" });
        using var http = Gateway.CreateHttpClient();
        using var missing = await http.PostAsync("/v1/messages", new StringContent(
            """{"model":"ollama/nope","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("try pulling it first", await missing.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task MidStreamErrorLineBecomesAnInBandError()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], ErrorAfterTokens = 2, ErrorMessage = "out of memory" });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"ollama/llama3.2","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("ab", RawSse.Content(frames));
        Assert.Contains("out of memory", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");

        Fake.Enqueue(new FakeScript { Tokens = ["x", "y"], ErrorAfterTokens = 1, ErrorMessage = "runner crashed" });
        using var anthropic = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"ollama/llama3.2","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var events = await RawSse.ReadFramesAsync(anthropic, Ct);
        Assert.Equal("error", events[^1].Event);
        Assert.Contains("runner crashed", events[^1].Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ModelsComeFromTagsAndHealthFromVersion()
    {
        using var http = Gateway.CreateHttpClient();

        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/models", Ct)).RootElement;
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("ollama/fake-model:latest", ids);
        Assert.Contains("ollama/qwen3:0.6b", ids);

        var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct)).RootElement;
        var ollama = health.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("prefix").GetString() == "ollama");
        Assert.True(ollama.GetProperty("configured").GetBoolean());
        Assert.True(ollama.GetProperty("reachable").GetBoolean());
        Assert.Equal("Ollama 0.12.6", ollama.GetProperty("detail").GetString());
        Assert.Contains(Fake.Requests, r => r is { Method: "GET", Path: "/api/tags" });
        // An external server's start-up probe may be the one whose answer /health shows (probes are cached for a moment).
        Assert.Contains(StartupProbes.Concat(Fake.Requests), r => r is { Method: "GET", Path: "/api/version" });
        Assert.DoesNotContain(Fake.Requests, r => r.Path == "/api/chat");
    }

    [Fact]
    public async Task UnreachableServerIs503AndHealthSaysSo()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_URL"] = "http://127.0.0.1:9" });
        var client = new ChatClient("ollama/llama3.2", new ApiKeyCredential("none"),
            new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(503, error.Status);
        Assert.Contains("127.0.0.1:9", error.Message);
    }

    [Fact]
    public async Task AStalledStreamEndsWithAnIdleTimeoutAndTheUpstreamRequestIsCancelled()
    {
        var clock = new FakeClock();
        var idleTimeout = TimeSpan.FromSeconds(30);
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_URL"] = Fake.BaseUrl.ToString().TrimEnd('/') },
            new() { ["idleTimeoutSeconds"] = "30" }, clock);
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b"], StallAfterTokens = 1 });
        using var http = gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            "{\"model\":\"ollama/llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}", Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var first = await reader.ReadUntilAsync(f => RawSse.Content([f]) == "a", "the delta before the stall");
        var rest = reader.ReadToEndAsync(Ct);
        await clock.AdvanceUntilAsync(rest, idleTimeout, "the idle timeout ending the stalled stream");
        List<SseFrame> frames = [.. first, .. await rest];

        Assert.Equal("a", RawSse.Content(frames));
        Assert.Contains("idle timeout", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        var outcome = await Eventually.WaitAsync(ChatRequest().Completion, "the upstream request ending");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind);
    }

    [Fact]
    public async Task EachUpstreamDeltaReachesTheClientWhileTheUpstreamHoldsTheNext()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["one", "two", "three"], HoldAfterTokens = 1 });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            "{\"model\":\"ollama/llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}", Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var (held, frames) = await reader.ReadWhileHoldingAsync(f => RawSse.Content([f]) == "one", () => ChatRequest(), "the first delta reaching the client");

        Assert.Equal(["one"], RawSse.ContentDeltas(held));
        Assert.Equal(["one", "two", "three"], RawSse.ContentDeltas(frames)); // one frame per upstream delta, none merged
    }
}
