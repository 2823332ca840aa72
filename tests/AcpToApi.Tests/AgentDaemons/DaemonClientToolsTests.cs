using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using AcpToApi.AgentTools;
using AcpToApi.Backends;
using AcpToApi.Backends.OpenCode;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>
/// A client's own tools through the real opencode / kilo daemon: the gateway adds its MCP server for the conversation,
/// the model (the fake LLM) gets the tools with their schemas under the daemon's prefixed name, the client gets the
/// calls under its own names, the daemon's turn waits parked on its MCP calls, and the client's results continue it.
/// The fake calls a tool named <c>*_get_weather</c>: the offered tool ending so (the prefix holds the gateway's port).
/// </summary>
public abstract class DaemonClientToolsTests(AgentDaemonFixture fixture)
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string","description":"City"}},"required":["city"]}""";

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(WeatherSchema));

    private static readonly ChatTool Time = ChatTool.CreateFunctionTool("get_time", "Local time in a zone",
        BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}"""));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Model => fixture.Kind + "/" + AgentDaemon.FakeModel;

    private FakeLlmServer Fake => fixture.Daemon.Fake;

    private void Require() => TestEnvironment.Require(fixture.Installed, $"the pinned {fixture.Kind} binary ({AgentDaemon.BinaryPath(fixture.Kind)})");

    private ChatClient Client(GatewayServer? gateway = null) =>
        new(Model, new ApiKeyCredential("none"), new OpenAIClientOptions
        {
            Endpoint = (gateway ?? fixture.Gateway).OpenAIEndpoint,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(90),
        });

    private static FakeToolCall Call(string tool, string arguments, string id) => new("*_" + tool, arguments, id);

    /// <summary>The chat completion requests the daemon sent the fake from <paramref name="since"/> on.</summary>
    private List<JsonElement> Upstream(int since) =>
        [.. Fake.Requests.Skip(since).Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Select(r => r.Json!.Value)];

    private static List<JsonElement> GatewayTools(JsonElement request) =>
        [.. request.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function"))
            .Where(f => f.GetProperty("name").GetString()!.StartsWith("acptoapi", StringComparison.Ordinal))];

    private static List<JsonElement> ToolMessages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool")];

    private static string ToolContent(JsonElement message) =>
        message.GetProperty("content") is { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : string.Concat(message.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("text").GetString()));

    private ServeApiBackend Backend(GatewayServer? gateway = null) =>
        (ServeApiBackend)(gateway ?? fixture.Gateway).Services.GetRequiredService<BackendRouter>().Registrations.Single(r => r.Prefix == fixture.Kind).Backend;

    /// <summary>
    /// Nothing left behind: no session of the gateway's on the daemon, none of its MCP servers still connected, no MCP
    /// endpoint open in the gateway, nothing parked.
    /// </summary>
    private async Task NothingLeftAsync(GatewayServer? gateway = null, bool gatewayStopped = false)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        async Task<bool> CleanAsync()
        {
            var sessions = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Daemon.BaseUrl, "session"), Ct);
            var servers = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Daemon.BaseUrl, "mcp"), Ct);
            return !sessions.EnumerateArray().Any(s => s.GetProperty("title").GetString()?.StartsWith("acptoapi:", StringComparison.Ordinal) == true)
                && !servers.EnumerateObject().Any(s => s.Name.StartsWith("acptoapi", StringComparison.Ordinal) && s.Value.GetProperty("status").GetString() == "connected");
        }
        await Eventually.WaitAsync(CleanAsync, $"{fixture.Kind}: every session and MCP server of the gateway's going from the daemon");
        if (!gatewayStopped)
        {
            var services = (gateway ?? fixture.Gateway).Services;
            Assert.Equal(0, Backend(gateway).ParkedSessions);
            await Eventually.WaitAsync(() => services.GetRequiredService<McpClientToolHost>().OpenEndpoints == 0, "the gateway's MCP endpoints closing");
        }
    }

    [Fact]
    public async Task TheModelGetsTheToolTheClientGetsTheCallAndTheParkedTurnContinuesWithTheResult()
    {
        Require();
        var since = Fake.Requests.Count;
        Fake.Enqueue(new FakeScript { Tokens = ["Checking."], ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_w1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Rain", " in Oslo."] });
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("call_w1", "get_weather"), (call.Id, call.FunctionName));
        Assert.Equal("Oslo", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal("Checking.", string.Concat(first.Content.Select(p => p.Text)));
        var offered = Assert.Single(GatewayTools(Upstream(since)[0]));
        Assert.EndsWith("_get_weather", offered.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("Weather for a city", offered.GetProperty("description").GetString());
        var schema = offered.GetProperty("parameters");
        Assert.Equal("City", schema.GetProperty("properties").GetProperty("city").GetProperty("description").GetString());
        Assert.Equal(["city"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, Backend().ParkedSessions);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_w1", "rain, 4 C"));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("Rain in Oslo.", string.Concat(second.Content.Select(p => p.Text)));
        var upstream = Upstream(since);
        Assert.Equal(2, upstream.Count); // the parked turn went on: no replay of the conversation
        var result = Assert.Single(ToolMessages(upstream[1]));
        Assert.Equal("call_w1", result.GetProperty("tool_call_id").GetString());
        Assert.Equal("rain, 4 C", ToolContent(result));
        await NothingLeftAsync();
    }

    [Fact]
    public async Task TwoParallelCallsThenASecondRound()
    {
        Require();
        var since = Fake.Requests.Count;
        // The calls are named before their arguments stream, so the daemon shows both before it runs either.
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            AnnounceToolCallsFirst = true,
            ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_a"), Call("get_time", """{"zone":"CET"}""", "call_b")],
        });
        Fake.Enqueue(new FakeScript { Tokens = ["One more."], ToolCalls = [Call("get_weather", """{"city":"Bergen"}""", "call_c")] });
        Fake.Enqueue(new FakeScript { Tokens = ["All", " done."] });
        List<ChatMessage> messages = [new UserChatMessage("Weather and time?")];
        var options = new ChatCompletionOptions { Tools = { Weather, Time } };

        ChatCompletion first = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal([("call_a", "get_weather"), ("call_b", "get_time")], first.ToolCalls.Select(c => (c.Id, c.FunctionName)));
        Assert.Equal(2, GatewayTools(Upstream(since)[0]).Count);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_a", "rain"));
        messages.Add(new ToolChatMessage("call_b", "13:00"));

        ChatCompletion second = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, second.FinishReason);
        var again = Assert.Single(second.ToolCalls);
        Assert.Equal(("call_c", "get_weather"), (again.Id, again.FunctionName));
        Assert.Equal("One more.", string.Concat(second.Content.Select(p => p.Text)));
        Assert.Equal([("call_a", "rain"), ("call_b", "13:00")],
            ToolMessages(Upstream(since)[1]).Select(m => (m.GetProperty("tool_call_id").GetString(), ToolContent(m))).Order());
        messages.Add(new AssistantChatMessage(second));
        messages.Add(new ToolChatMessage("call_c", "sun"));

        ChatCompletion third = await Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);
        Assert.Equal("All done.", string.Concat(third.Content.Select(p => p.Text)));
        Assert.Equal(3, Upstream(since).Count);
        Assert.Equal("sun", ToolContent(ToolMessages(Upstream(since)[2]).Single(m => m.GetProperty("tool_call_id").GetString() == "call_c")));
        await NothingLeftAsync();
    }

    [Fact]
    public async Task ToolChoiceNoneOffersNoClientToolAForcedToolIsTheOnlyOneOfferedAndAnUnansweredCallEndsAtTheParkTimeout()
    {
        Require();
        var since = Fake.Requests.Count;
        Fake.Enqueue(new FakeScript { Tokens = ["No tools."] });
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_time", """{"zone":"UTC"}""", "call_f")] });

        ChatCompletion none = await Client().CompleteChatAsync([new UserChatMessage("hi")],
            new ChatCompletionOptions { Tools = { Weather, Time }, ToolChoice = ChatToolChoice.CreateNoneChoice() }, Ct);
        ChatCompletion forced = await Client().CompleteChatAsync([new UserChatMessage("time?")],
            new ChatCompletionOptions { Tools = { Weather, Time }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_time") }, Ct);

        Assert.Equal("No tools.", string.Concat(none.Content.Select(p => p.Text)));
        Assert.Equal(ChatFinishReason.Stop, none.FinishReason);
        var upstream = Upstream(since);
        Assert.Empty(GatewayTools(upstream[0]));
        Assert.True(upstream[0].GetProperty("tools").GetArrayLength() > 0, "the agent's own tools are still offered");
        Assert.EndsWith("_get_time", Assert.Single(GatewayTools(upstream[1])).GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal(("call_f", "get_time"), (forced.ToolCalls.Single().Id, forced.ToolCalls.Single().FunctionName));

        // The forced call is never answered: at the park deadline (on the gateway's clock) the turn is stopped, its
        // session aborted and deleted, its MCP server disconnected and its endpoint closed.
        Assert.Equal(1, Backend().ParkedSessions);
        await fixture.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(600));
        fixture.Clock.Advance(TimeSpan.FromSeconds(601));
        await NothingLeftAsync();
    }

    [Fact]
    public async Task AGatewayStoppedWhileParkedLeavesNothingAndTheRestartedGatewayReplaysTheHistory()
    {
        Require();
        var since = Fake.Requests.Count;
        var first = await GatewayServer.StartAsync(settings: new() { [fixture.Kind] = fixture.Daemon.BaseUrl.ToString() }, time: new FakeClock());
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_r1")] });
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };
        ChatCompletion asked = await Client(first).CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, asked.FinishReason);
        Assert.Equal(1, Backend(first).ParkedSessions);

        await first.DisposeAsync();
        await NothingLeftAsync(first, gatewayStopped: true);

        await using var restarted = await GatewayServer.StartAsync(settings: new() { [fixture.Kind] = fixture.Daemon.BaseUrl.ToString() }, time: new FakeClock());
        Fake.Enqueue(new FakeScript { Tokens = ["Replayed:", " rain."] });
        messages.Add(new AssistantChatMessage(asked));
        messages.Add(new ToolChatMessage("call_r1", "rain, 4 C"));
        ChatCompletion answer = await Client(restarted).CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal("Replayed: rain.", string.Concat(answer.Content.Select(p => p.Text)));
        var replay = Upstream(since)[^1];
        var prompt = JsonSerializer.Serialize(replay.GetProperty("messages"));
        Assert.Contains("Weather in Oslo?", prompt, StringComparison.Ordinal);
        Assert.Contains("call_r1", prompt, StringComparison.Ordinal);
        Assert.Contains("rain, 4 C", prompt, StringComparison.Ordinal);
        Assert.Single(GatewayTools(replay)); // the tools are offered again
        await NothingLeftAsync(restarted);
    }

    [Fact]
    public async Task AClientThatLeavesWhileTheContinuedTurnStreamsLeavesNothing()
    {
        Require();
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_x1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["held", " never"], HoldAfterTokens = 1 });
        List<ChatMessage> messages = [new UserChatMessage("Oslo?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };
        ChatCompletion asked = await Client().CompleteChatAsync(messages, options, Ct);
        messages.Add(new AssistantChatMessage(asked));
        messages.Add(new ToolChatMessage("call_x1", "rain"));
        var since = Fake.Requests.Count;

        using (var leaving = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var reading = Task.Run(async () =>
            {
                await foreach (var _ in Client().CompleteChatStreamingAsync(messages, options, leaving.Token))
                {
                }
            }, Ct);
            var upstream = await Fake.WaitForRequestAsync(r => r.Sequence > since && r.Path.EndsWith("/chat/completions", StringComparison.Ordinal), Eventually.Bound, Ct);
            await upstream.Held.WaitAsync(Eventually.Bound, Ct);
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
            upstream.Release();
        }
        await NothingLeftAsync();
    }

    [Fact]
    public async Task AnthropicAndGeminiClientsGetTheCallInTheirOwnShapesAndContinueWithTheirResults()
    {
        Require();
        var since = Fake.Requests.Count;
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_m1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Anthropic", " done."] });
        using var http = fixture.Gateway.CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(90);

        var tools = $$"""[{"name":"get_weather","description":"Weather for a city","input_schema":{{WeatherSchema}}}]""";
        using var asked = await http.PostAsync("/v1/messages", JsonContent.Create(JsonDocument.Parse($$"""
            {"model":"{{Model}}","max_tokens":100,"tools":{{tools}},"messages":[{"role":"user","content":"Oslo?"}]}
            """).RootElement), Ct);
        var message = await asked.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
        var use = message.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal(("call_m1", "get_weather", "Oslo"), (use.GetProperty("id").GetString(), use.GetProperty("name").GetString(),
            use.GetProperty("input").GetProperty("city").GetString()));
        using var continued = await http.PostAsync("/v1/messages", JsonContent.Create(JsonDocument.Parse($$$"""
            {"model":"{{{Model}}}","max_tokens":100,"tools":{{{tools}}},"messages":[{"role":"user","content":"Oslo?"},
             {"role":"assistant","content":[{"type":"tool_use","id":"call_m1","name":"get_weather","input":{"city":"Oslo"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_m1","content":"fog"}]}]}
            """).RootElement), Ct);
        var answer = await continued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("end_turn", answer.GetProperty("stop_reason").GetString());
        Assert.Equal("Anthropic done.", string.Concat(answer.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString())));
        Assert.Equal("fog", ToolContent(Assert.Single(ToolMessages(Upstream(since)[1]))));

        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Rome"}""", "call_g1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Gemini", " done."] });
        var declarations = $$"""[{"functionDeclarations":[{"name":"get_weather","description":"Weather for a city","parametersJsonSchema":{{WeatherSchema}}}]}]""";
        using var gemini = await http.PostAsync($"/v1beta/models/{Model}:generateContent", JsonContent.Create(JsonDocument.Parse($$"""
            {"tools":{{declarations}},"contents":[{"role":"user","parts":[{"text":"Rome?"}]}]}
            """).RootElement), Ct);
        var candidate = (await gemini.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("candidates")[0];
        var functionCall = candidate.GetProperty("content").GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("functionCall", out _)).GetProperty("functionCall");
        Assert.Equal(("get_weather", "Rome"), (functionCall.GetProperty("name").GetString(), functionCall.GetProperty("args").GetProperty("city").GetString()));
        var callId = functionCall.TryGetProperty("id", out var id) ? id.GetString() : null;
        var rawCall = functionCall.GetRawText();
        var idField = callId is null ? "" : $",\"id\":\"{callId}\"";
        using var geminiContinued = await http.PostAsync($"/v1beta/models/{Model}:generateContent", JsonContent.Create(JsonDocument.Parse($$$$"""
            {"tools":{{{{declarations}}}},"contents":[{"role":"user","parts":[{"text":"Rome?"}]},
             {"role":"model","parts":[{"functionCall":{{{{rawCall}}}}}]},
             {"role":"user","parts":[{"functionResponse":{"name":"get_weather"{{{{idField}}}},"response":{"result":"sunny"}}}]}]}
            """).RootElement), Ct);
        var geminiAnswer = (await geminiContinued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("candidates")[0];
        Assert.Equal("STOP", geminiAnswer.GetProperty("finishReason").GetString());
        Assert.Equal("Gemini done.", string.Concat(geminiAnswer.GetProperty("content").GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString())));
        var geminiResult = ToolContent(Assert.Single(ToolMessages(Upstream(since)[^1])));
        Assert.Contains("sunny", geminiResult, StringComparison.Ordinal);
        await NothingLeftAsync();
    }

    [Fact]
    public async Task AResponsesClientGetsAFunctionCallAndContinuesWithPreviousResponseId()
    {
        Require();
        var since = Fake.Requests.Count;
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Oslo"}""", "call_resp1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Responses", " done."] });
        using var http = fixture.Gateway.CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(90);
        var tools = $$"""[{"type":"function","name":"get_weather","description":"Weather for a city","parameters":{{WeatherSchema}}}]""";

        using var asked = await http.PostAsync("/v1/responses", JsonContent.Create(JsonDocument.Parse($$"""
            {"model":"{{Model}}","input":"Oslo?","tools":{{tools}}}
            """).RootElement), Ct);
        var first = await asked.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var call = first.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "function_call");
        Assert.Equal(("call_resp1", "get_weather"), (call.GetProperty("call_id").GetString(), call.GetProperty("name").GetString()));
        using var continued = await http.PostAsync("/v1/responses", JsonContent.Create(JsonDocument.Parse($$"""
            {"model":"{{Model}}","previous_response_id":"{{first.GetProperty("id").GetString()}}","tools":{{tools}},
             "input":[{"type":"function_call_output","call_id":"call_resp1","output":"hail"}]}
            """).RootElement), Ct);
        var second = await continued.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("completed", second.GetProperty("status").GetString());
        Assert.Equal("Responses done.", second.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "message")
            .GetProperty("content")[0].GetProperty("text").GetString());
        var upstream = Upstream(since);
        Assert.Equal(2, upstream.Count); // continued on the parked turn
        Assert.Equal("hail", ToolContent(Assert.Single(ToolMessages(upstream[1]))));
        await NothingLeftAsync();
    }

    /// <summary>The official <c>@anthropic-ai/sdk</c> and <c>@google/genai</c> npm packages run a tool round trip (their text parts go to echo/).</summary>
    [Theory]
    [InlineData("anthropic-sdk.mjs", "@anthropic-ai/sdk", "stop", "tool_use", "input")]
    [InlineData("genai-sdk.mjs", "@google/genai", "finish", "STOP", "args")]
    public async Task OfficialNodeSdksRunAToolRoundTrip(string script, string package, string stopField, string toolStop, string argumentsField)
    {
        Require();
        NodeScript.RequireInstalled(package);
        var since = Fake.Requests.Count;
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [Call("get_weather", """{"city":"Paris"}""", "call_sdk1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Paris", " is", " sunny."] });

        var result = JsonDocument.Parse(await NodeScript.RunAsync(script,
            [fixture.Gateway.BaseUrl.ToString().TrimEnd('/'), "echo/x", "hello", Model, "Weather in Paris?"], Ct)).RootElement;

        var tool = result.GetProperty("tool");
        // Gemini's finish reason is STOP for a call too; the call itself is what counts.
        Assert.Equal(toolStop, tool.GetProperty(stopField).GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("Paris", tool.GetProperty(argumentsField).GetProperty("city").GetString());
        Assert.Equal("Paris is sunny.", tool.GetProperty("answer").GetString());
        var upstream = Upstream(since);
        Assert.Equal(2, upstream.Count); // the second request continued the parked turn
        Assert.Contains("sunny, 21 C", ToolContent(Assert.Single(ToolMessages(upstream[1]))), StringComparison.Ordinal);
        await NothingLeftAsync();
    }
}
