using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>The bedrock/ backend against the fake's ConverseStream (real binary event-stream frames): exact signed request and translated streams.</summary>
public sealed class BedrockBackendTests : FakeUpstreamGatewayTest
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "FwoGZXIvYXdzEXAMPLE//token+=";
    private const string Region = "eu-west-3";
    private const string Claude = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    protected override Dictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["BEDROCK_BASE_URL"] = FakeRoot,
        ["AWS_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_SESSION_TOKEN"] = SessionToken,
    };

    private ChatClient Client(string model = Claude) => new("bedrock/" + model, new ApiKeyCredential("none"),
        new OpenAIClientOptions { Endpoint = Gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

    private RecordedRequest Converse(int n = 0) => Fake.Requests.Where(r => r.Path.EndsWith("/converse-stream", StringComparison.Ordinal)).ElementAt(n);

    private static string CanonicalUri(string model) => "/model/" + Uri.EscapeDataString(Uri.EscapeDataString(model)) + "/converse-stream";

    [Fact]
    public async Task OpenAIClientStreamsTextAndTheSignedRequestIsExact()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Hel", "lo", "!"], InputTokens = 30, OutputTokens = 3 });

        var (deltas, usage, finish, _) = await StreamedChat.CollectAsync(Client().CompleteChatStreamingAsync(
            [new SystemChatMessage("Be kind."), new UserChatMessage("Greet me")],
            new ChatCompletionOptions { Temperature = 0.5f, TopP = 0.25f, MaxOutputTokenCount = 200, StopSequences = { "END" } }, Ct));

        Assert.Equal(["Hel", "lo", "!"], deltas);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(30, usage!.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);

        var sent = Converse();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/model/" + Claude + "/converse-stream", sent.Path);
        Assert.Equal("", sent.QueryString);
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        // Every header we send (HttpClient's own W3C trace context aside, which SigV4 leaves unsigned).
        Assert.Equal(["Authorization", "Content-Length", "Content-Type", "Host", "X-Amz-Date", "X-Amz-Security-Token"],
            sent.Headers.Keys.Where(k => k is not ("traceparent" or "tracestate")).Order(StringComparer.Ordinal));
        Assert.Equal(SessionToken, sent.Headers["X-Amz-Security-Token"]);
        var signedAt = DateTime.ParseExact(sent.Headers["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(DateTime.UtcNow - signedAt, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(1));
        var authorization = sent.Headers["Authorization"];
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/{sent.Headers["X-Amz-Date"][..8]}/{Region}/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=", authorization, StringComparison.Ordinal);
        Assert.Equal(SigV4Reference.ExpectedAuthorization(sent, CanonicalUri(Claude), AccessKey, SecretKey, Region, "bedrock"), authorization);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Greet me"}]}],"system":[{"text":"Be kind."}],"inferenceConfig":{"maxTokens":200,"temperature":0.5,"topP":0.25,"stopSequences":["END"]}}""",
            sent.Body);
    }

    [Fact]
    public async Task ReasoningWithSignatureReachesAnthropicClientsAndGoesBackByteForByte()
    {
        const string signature = "EqQBCkYIBxgCKkBv+/bedrock-sig==";
        Fake.Enqueue(new FakeScript { Reasoning = ["Think", "ing."], Signature = signature, Tokens = ["Answer."], InputTokens = 12, OutputTokens = 5 });
        Fake.Enqueue(new FakeScript { Tokens = ["Again."] });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            $$"""{"model":"bedrock/{{Claude}}","max_tokens":4000,"stream":true,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[{"role":"user","content":"q"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        var starts = frames.Where(f => f.Event == "content_block_start").Select(f => f.Json.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(["thinking", "text"], starts);
        var deltas = frames.Where(f => f.Event == "content_block_delta").Select(f => f.Json.GetProperty("delta")).ToList();
        Assert.Equal(["Think", "ing."], deltas.Where(d => d.GetProperty("type").GetString() == "thinking_delta").Select(d => d.GetProperty("thinking").GetString()));
        Assert.Equal(signature, deltas.Single(d => d.GetProperty("type").GetString() == "signature_delta").GetProperty("signature").GetString());
        Assert.Equal("Answer.", deltas.Single(d => d.GetProperty("type").GetString() == "text_delta").GetProperty("text").GetString());
        var messageDelta = frames.Single(f => f.Event == "message_delta").Json;
        Assert.Equal("end_turn", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(5, messageDelta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"q"}]}],"inferenceConfig":{"maxTokens":4000},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":2000}}}""",
            Converse(0).Body);

        using var followUp = await http.PostAsync("/v1/messages", new StringContent($$"""
            {"model":"bedrock/{{Claude}}","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[
              {"role":"user","content":"q"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"Thinking.","signature":"{{signature}}"},{"type":"text","text":"Answer."}]},
              {"role":"user","content":"and?"}]}
            """, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        Assert.Equal(
            """[{"role":"user","content":[{"text":"q"}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Thinking.","signature":""" + "\"" + signature + "\"" + """}}},{"text":"Answer."}]},{"role":"user","content":[{"text":"and?"}]}]""",
            JsonDocument.Parse(Converse(1).Body).RootElement.GetProperty("messages").GetRawText());
    }

    [Fact]
    public async Task ParallelToolCallRoundTripUsesConverseShapes()
    {
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "tooluse_a"), new FakeToolCall("get_time", """{"tz":"CET"}""", "tooluse_b")],
        });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold", " and late."] });
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather now", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var options = new ChatCompletionOptions { Tools = { weather, ChatTool.CreateFunctionTool("get_time") }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        List<ChatMessage> messages = [new UserChatMessage("Weather and time?")];

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(["tooluse_a", "tooluse_b"], first.ToolCalls.Select(c => c.Id));
        Assert.Equal(["get_weather", "get_time"], first.ToolCalls.Select(c => c.FunctionName));
        Assert.Equal("""{"tz":"CET"}""", first.ToolCalls[1].FunctionArguments.ToString());
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Weather and time?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather now","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}},{"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object","properties":{}}}}}],"toolChoice":{"any":{}}}}""",
            Converse(0).Body);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("tooluse_a", "-3 C"));
        messages.Add(new ToolChatMessage("tooluse_b", "23:10"));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal("Cold and late.", second.Content.Single().Text);
        Assert.Equal(
            """[{"role":"user","content":[{"text":"Weather and time?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_a","name":"get_weather","input":{"city":"Oslo"}}},{"toolUse":{"toolUseId":"tooluse_b","name":"get_time","input":{"tz":"CET"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_a","content":[{"text":"-3 C"}],"status":"success"}},{"toolResult":{"toolUseId":"tooluse_b","content":[{"text":"23:10"}],"status":"success"}}]}]""",
            JsonDocument.Parse(Converse(1).Body).RootElement.GetProperty("messages").GetRawText());
        Assert.Equal(SigV4Reference.ExpectedAuthorization(Converse(1), CanonicalUri(Claude), AccessKey, SecretKey, Region, "bedrock"), Converse(1).Headers["Authorization"]);
    }

    [Fact]
    public async Task AnthropicClientsGetStreamedToolUseBlocks()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Checking."], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "tooluse_x")] });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/messages",
            """{"model":"bedrock/meta.llama3-1-70b-instruct-v1:0","max_tokens":100,"stream":true,"tool_choice":{"type":"tool","name":"get_weather"},"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        var starts = frames.Where(f => f.Event == "content_block_start").Select(f => f.Json.GetProperty("content_block")).ToList();
        Assert.Equal(["text", "tool_use"], starts.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("tooluse_x", starts[1].GetProperty("id").GetString());
        var fragments = frames.Where(f => f.Event == "content_block_delta" && f.Json.GetProperty("delta").GetProperty("type").GetString() == "input_json_delta")
            .Select(f => f.Json.GetProperty("delta").GetProperty("partial_json").GetString()).ToList();
        Assert.True(fragments.Count > 1, "tool input arrives in fragments");
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(fragments));
        Assert.Equal("tool_use", frames.Single(f => f.Event == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());
        var sent = Converse();
        Assert.Equal("/model/meta.llama3-1-70b-instruct-v1:0/converse-stream", sent.Path);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Weather?"},{"image":{"format":"jpeg","source":{"bytes":"/9j/4AAQ"}}}]}],"inferenceConfig":{"maxTokens":100},"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"tool":{"name":"get_weather"}}}}""",
            sent.Body);
    }

    [Fact]
    public async Task ThrottlingKeepsRetryAfterAndServerErrorsAre502()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "Too many requests, please wait before trying again.", RetryAfterSeconds = 12 });
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(429, limited.Status);
        Assert.Contains("Too many requests", limited.Message);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("12", retryAfter);

        Fake.Enqueue(new FakeScript { Status = 500, ErrorMessage = "internal failure" });
        using var http = Gateway.CreateHttpClient();
        using var failed = await http.PostAsync("/v1/messages", new StringContent(
            $$"""{"model":"bedrock/{{Claude}}","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("internal failure", await failed.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task MidStreamExceptionFramesBecomeInBandErrors()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], ErrorAfterTokens = 2, ErrorMessage = "model stream broke" });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            $$"""{"model":"bedrock/{{Claude}}","stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("ab", RawSse.Content(frames));
        Assert.Contains("modelStreamErrorException: model stream broke", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");

        Fake.Enqueue(new FakeScript { Tokens = ["x", "y"], ErrorAfterTokens = 1, ErrorMessage = "throttlingException: slow down" });
        using var anthropic = await RawSse.PostAsync(http, "/v1/messages",
            $$"""{"model":"bedrock/{{Claude}}","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"go"}]}""", Ct);
        var events = await RawSse.ReadFramesAsync(anthropic, Ct);
        Assert.Equal("x", events.Single(f => f.Event == "content_block_delta").Json.GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("rate_limit_error", events[^1].Json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("slow down", events[^1].Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task MissingCredentialsNameTheVariablesAndHealthSaysNotConfigured()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = AccessKey });
        var client = new ChatClient("bedrock/" + Claude, new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(401, error.Status);
        Assert.Contains("AWS_SECRET_ACCESS_KEY, AWS_REGION", error.Message);
        Assert.DoesNotContain("AWS_ACCESS_KEY_ID,", error.Message);
        using var http = gateway.CreateHttpClient();
        var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct)).RootElement;
        var bedrock = health.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("prefix").GetString() == "bedrock");
        Assert.False(bedrock.GetProperty("configured").GetBoolean());
        Assert.Contains("AWS_SECRET_ACCESS_KEY", bedrock.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task HealthIsConfiguredAndModelsAreNotListed()
    {
        using var http = Gateway.CreateHttpClient();

        var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct)).RootElement;
        var bedrock = health.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("prefix").GetString() == "bedrock");
        Assert.True(bedrock.GetProperty("configured").GetBoolean());
        Assert.True(bedrock.GetProperty("reachable").GetBoolean());
        Assert.Equal(Fake.BaseUrl.ToString().TrimEnd('/'), bedrock.GetProperty("target").GetString()!.TrimEnd('/'));
        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/models", Ct)).RootElement;
        Assert.DoesNotContain(list.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString()!.StartsWith("bedrock/", StringComparison.Ordinal));
        Assert.DoesNotContain(Fake.Requests, r => r.Path.EndsWith("/converse-stream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStalledStreamEndsWithAnIdleTimeoutAndTheUpstreamRequestIsCancelled()
    {
        var clock = new FakeClock();
        var idleTimeout = TimeSpan.FromSeconds(30);
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["BEDROCK_BASE_URL"] = Fake.BaseUrl.ToString().TrimEnd('/'), ["AWS_REGION"] = Region, ["AWS_ACCESS_KEY_ID"] = AccessKey, ["AWS_SECRET_ACCESS_KEY"] = SecretKey },
            new() { ["idleTimeoutSeconds"] = "30" }, clock);
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b"], StallAfterTokens = 1 });
        using var http = gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            "{\"model\":\"bedrock/" + Claude + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}", Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var first = await reader.ReadUntilAsync(f => RawSse.Content([f]) == "a", "the delta before the stall");
        var rest = reader.ReadToEndAsync(Ct);
        await clock.AdvanceUntilAsync(rest, idleTimeout, "the idle timeout ending the stalled stream");
        List<SseFrame> frames = [.. first, .. await rest];

        Assert.Equal("a", RawSse.Content(frames));
        Assert.Contains("idle timeout", frames[^1].Json.GetProperty("error").GetProperty("message").GetString());
        var outcome = await Eventually.WaitAsync(Converse().Completion, "the upstream request ending");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind);
    }

    [Fact]
    public async Task EachUpstreamDeltaReachesTheClientWhileTheUpstreamHoldsTheNext()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["one", "two", "three"], HoldAfterTokens = 1 });
        using var http = Gateway.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            "{\"model\":\"bedrock/" + Claude + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}", Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var (held, frames) = await reader.ReadWhileHoldingAsync(f => RawSse.Content([f]) == "one", () => Converse(), "the first delta reaching the client");

        Assert.Equal(["one"], RawSse.ContentDeltas(held));
        Assert.Equal(["one", "two", "three"], RawSse.ContentDeltas(frames)); // one frame per upstream delta, none merged
    }
}
