using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using AcpToApi.AgentTools;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>
/// A client's own tools through the real Claude Code CLI: the model gets them (via the gateway's MCP server) with their
/// schemas, the client gets the calls under its own names, the process waits parked for the results, and the turn goes
/// on to its answer. The fake upstream plays the model.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeClientToolsTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string","description":"City"}},"required":["city"]}""";

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(WeatherSchema));

    private static readonly ChatTool Time = ChatTool.CreateFunctionTool("get_time", "Local time in a zone",
        BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}}}"""));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<JsonElement> UpstreamMessages(ClaudeTestBed bed) =>
        [.. bed.Fake.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/messages").Select(r => r.Json!.Value)];

    private static JsonElement LastUserContent(JsonElement request) =>
        request.GetProperty("messages").EnumerateArray().Last().GetProperty("content");

    [Fact]
    public async Task TheModelGetsTheClientsToolTheClientGetsTheCallAndTheParkedProcessContinuesWithTheResult()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Checking."], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_w1")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Rain", " in Oslo."] });
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ChatCompletion first = await bed.Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("toolu_w1", "get_weather", """{"city":"Oslo"}"""), (call.Id, call.FunctionName, call.FunctionArguments.ToString()));
        Assert.Equal("Checking.", first.Content.Single().Text);
        var offered = Assert.Single(UpstreamMessages(bed)[0].GetProperty("tools").EnumerateArray());
        Assert.Equal("mcp__gw__get_weather", offered.GetProperty("name").GetString());
        Assert.Equal("Weather for a city", offered.GetProperty("description").GetString());
        var schema = offered.GetProperty("input_schema");
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal(["city"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var parked = Assert.Single(bed.ClaudeProcesses());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_w1", "rain, 4 C"));
        ChatCompletion second = await bed.Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("Rain in Oslo.", second.Content.Single().Text);
        var result = LastUserContent(UpstreamMessages(bed)[1]).EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
        Assert.Equal("toolu_w1", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("rain, 4 C", result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal([parked], bed.ClaudeProcesses()); // the same process went on: no new start, no replay
    }

    [Fact]
    public async Task TwoParallelCallsThenASecondRoundInTheSameConversation()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_a"), new FakeToolCall("mcp__gw__get_time", """{"zone":"CET"}""", "toolu_b")],
        });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["One more."], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Bergen"}""", "toolu_c")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["All done."] });
        List<ChatMessage> messages = [new UserChatMessage("Weather and time?")];
        var options = new ChatCompletionOptions { Tools = { Weather, Time } };

        ChatCompletion first = await bed.Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(["toolu_a", "toolu_b"], first.ToolCalls.Select(c => c.Id));
        Assert.Equal(["get_weather", "get_time"], first.ToolCalls.Select(c => c.FunctionName));
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_a", "rain"));
        messages.Add(new ToolChatMessage("toolu_b", "13:00"));

        ChatCompletion second = await bed.Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, second.FinishReason);
        Assert.Equal(("toolu_c", """{"city":"Bergen"}"""), (second.ToolCalls.Single().Id, second.ToolCalls.Single().FunctionArguments.ToString()));
        var results = LastUserContent(UpstreamMessages(bed)[1]).EnumerateArray().Where(b => b.GetProperty("type").GetString() == "tool_result").ToList();
        // Both results in the one user turn after the calls (the CLI orders them as its MCP calls complete).
        Assert.Equal([("toolu_a", "rain"), ("toolu_b", "13:00")],
            results.Select(r => (r.GetProperty("tool_use_id").GetString(), r.GetProperty("content")[0].GetProperty("text").GetString())).Order());
        messages.Add(new AssistantChatMessage(second));
        messages.Add(new ToolChatMessage("toolu_c", "sun"));

        ChatCompletion third = await bed.Client().CompleteChatAsync(messages, options, Ct);
        Assert.Equal("All done.", third.Content.Single().Text);
        Assert.Single(bed.ClaudeProcesses());
    }

    [Fact]
    public async Task ToolChoiceNoneOffersNoTools()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["No tools."] });

        ChatCompletion answer = await bed.Client().CompleteChatAsync([new UserChatMessage("hi")],
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateNoneChoice() }, Ct);

        Assert.Equal("No tools.", answer.Content.Single().Text);
        var request = UpstreamMessages(bed).Single();
        Assert.True(!request.TryGetProperty("tools", out var tools) || tools.GetArrayLength() == 0);
    }

    [Fact]
    public async Task AContinuationThatFindsNothingParkedReplaysTheHistoryAndStillCompletes()
    {
        var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_r1")] });
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };
        ChatCompletion first = await bed.Client().CompleteChatAsync(messages, options, Ct);
        // A restarted gateway knows nothing of the parked process (which shutdown stopped).
        await bed.Server.DisposeAsync();
        Assert.Empty(bed.ClaudeProcesses());
        await using var restarted = await ClaudeTestBed.StartAsync();
        restarted.Fake.Enqueue(new FakeScript { Tokens = ["Replayed: rain."] });
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_r1", "rain, 4 C"));

        ChatCompletion second = await restarted.Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal("Replayed: rain.", second.Content.Single().Text);
        var replayed = JsonSerializer.Serialize(UpstreamMessages(restarted).Single().GetProperty("messages"));
        Assert.Contains("Weather in Oslo?", replayed, StringComparison.Ordinal);
        Assert.Contains("rain, 4 C", replayed, StringComparison.Ordinal);
        Assert.Contains("toolu_r1", replayed, StringComparison.Ordinal);
        await bed.DisposeAsync();
    }

    [Fact]
    public async Task AParkedProcessThatWaitsTooLongIsStoppedWithItsMcpEndpointAndTheNextRequestReplays()
    {
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["toolParkTimeoutSeconds"] = "120" });
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_t1")] });
        var first = await bed.Client().CompleteChatAsync([new UserChatMessage("Oslo?")], new ChatCompletionOptions { Tools = { Weather } }, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.Value.FinishReason);
        var host = bed.Server.Services.GetRequiredService<McpClientToolHost>();
        Assert.Single(bed.ClaudeProcesses());

        // The park deadline is on the gateway's clock: move it past, once the deadline is set.
        await bed.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(120));
        bed.Clock.Advance(TimeSpan.FromSeconds(121));

        await Eventually.WaitAsync(() => bed.ClaudeProcesses().Count == 0 && host.OpenEndpoints == 0,
            "the parked process and its MCP endpoint being stopped after the park timeout");
    }

    [Fact]
    public async Task AClientThatLeavesMidTurnAndAGatewayThatStopsWhileParkedLeaveNoProcessAndNoEndpoint()
    {
        // Before the bed starts: this test disposes it itself, late, so a skip from reading services would leave it running.
        GatewayServer.RequireInProcess("reads the gateway's services");
        var bed = await ClaudeTestBed.StartAsync();
        var host = bed.Server.Services.GetRequiredService<McpClientToolHost>();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["held"], HoldAfterTokens = 1 });
        using (var leaving = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            // The SDK sends the request when the enumeration starts.
            var reading = Task.Run(async () =>
            {
                await foreach (var _ in bed.Client().CompleteChatStreamingAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Tools = { Weather } }, leaving.Token))
                {
                }
            }, Ct);
            var upstream = await bed.UpstreamMessageAsync();
            await upstream.Held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
            upstream.Release();
        }
        await Eventually.WaitAsync(() => bed.ClaudeProcesses().Count == 0 && host.OpenEndpoints == 0, "the abandoned turn's process and endpoint going");

        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_s1")] });
        await bed.Client().CompleteChatAsync([new UserChatMessage("Oslo?")], new ChatCompletionOptions { Tools = { Weather } }, Ct);
        Assert.Single(bed.ClaudeProcesses());
        Assert.Equal(1, host.OpenEndpoints);

        await bed.DisposeAsync();

        Assert.Empty(bed.ClaudeProcesses());
        Assert.Equal(0, host.OpenEndpoints);
    }

    [Fact]
    public async Task AnthropicAndGeminiClientsGetTheCallInTheirOwnShapes()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_x1")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Rome"}""", "toolu_g1")] });
        using var http = bed.Server.CreateHttpClient();

        using var anthropic = await http.PostAsync("/v1/messages", JsonContent.Create(JsonDocument.Parse($$"""
            {"model":"claude/sonnet","max_tokens":100,"tools":[{"name":"get_weather","input_schema":{{WeatherSchema}}}],
             "messages":[{"role":"user","content":"Oslo?"}]}
            """).RootElement), Ct);
        var message = await anthropic.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
        var use = message.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal(("toolu_x1", "get_weather", "Oslo"), (use.GetProperty("id").GetString(), use.GetProperty("name").GetString(),
            use.GetProperty("input").GetProperty("city").GetString()));

        using var gemini = await http.PostAsync("/v1beta/models/claude/sonnet:generateContent", JsonContent.Create(JsonDocument.Parse($$"""
            {"tools":[{"functionDeclarations":[{"name":"get_weather","parametersJsonSchema":{{WeatherSchema}}}]}],
             "contents":[{"role":"user","parts":[{"text":"Rome?"}]}]}
            """).RootElement), Ct);
        var candidate = (await gemini.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("candidates")[0];
        var functionCall = candidate.GetProperty("content").GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("functionCall", out _)).GetProperty("functionCall");
        Assert.Equal(("get_weather", "Rome"), (functionCall.GetProperty("name").GetString(), functionCall.GetProperty("args").GetProperty("city").GetString()));
    }

    [Fact]
    public async Task AClaudeCodeClientsLongMcpToolNameIsOfferedShortenedAndComesBackAsItsOwn()
    {
        // A Claude Code client declares its own MCP servers' tools as mcp__<server>__<tool>, up to 64 characters: with our
        // mcp__gw__ prefix that would pass the API's limit, so the model sees a safe prefix plus a hash.
        const string longName = "mcp__filesystem__read_multiple_files_with_their_line_numbers_v2";
        var agentName = AcpToApi.Backends.ClientTools.ClientToolNames.ForAgent(longName);
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__" + agentName, """{"paths":["a.txt"]}""", "toolu_l1")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Read", " it."] });
        List<ChatMessage> messages = [new UserChatMessage("Read a.txt")];
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool(longName, "Reads files", BinaryData.FromString("""{"type":"object","properties":{"paths":{"type":"array","items":{"type":"string"}}}}""")) },
        };

        ChatCompletion first = await bed.Client().CompleteChatAsync(messages, options, Ct);

        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("toolu_l1", longName), (call.Id, call.FunctionName));
        var offered = Assert.Single(UpstreamMessages(bed)[0].GetProperty("tools").EnumerateArray()).GetProperty("name").GetString()!;
        Assert.Equal("mcp__gw__" + agentName, offered);
        Assert.True(offered.Length <= 64, offered);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_l1", "line 1: hello"));
        ChatCompletion second = await bed.Client().CompleteChatAsync(messages, options, Ct);

        Assert.Equal(("Read it.", ChatFinishReason.Stop), (second.Content.Single().Text, second.FinishReason));
        var result = LastUserContent(UpstreamMessages(bed)[1]).EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
        Assert.Equal(("toolu_l1", "line 1: hello"), (result.GetProperty("tool_use_id").GetString(), result.GetProperty("content")[0].GetProperty("text").GetString()));
    }
}
