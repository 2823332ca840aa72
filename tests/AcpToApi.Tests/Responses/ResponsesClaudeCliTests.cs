using System.ClientModel;
using System.ClientModel.Primitives;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.ClaudeCli;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK's Responses client is experimental

namespace AcpToApi.Tests.Responses;

/// <summary>
/// /v1/responses answered by the real, pinned Claude Code CLI (claude/) talking to the fake upstream: text, thinking,
/// and the client's own function tools (which reach the model through the gateway's MCP server), from the .NET SDK and
/// from Codex.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ResponsesClaudeCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ResponsesClient Client(ClaudeTestBed bed) => new(new ApiKeyCredential("none"), new ResponsesClientOptions
    {
        Endpoint = bed.Server.OpenAIEndpoint,
        RetryPolicy = new ClientRetryPolicy(0),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    });

    [Fact]
    public async Task ClaudeStreamsThinkingThenTextAndTheFirstDeltaArrivesWhileTheUpstreamHolds()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Reasoning = ["weighing ", "it"], Tokens = ["po", "ng"], HoldAfterTokens = 1, InputTokens = 21, OutputTokens = 5 });
        var options = new CreateResponseOptions { Model = "claude/sonnet", StreamingEnabled = true };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("ping"));

        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await Client(bed).CreateResponseStreamingAsync(options, Ct))
        {
            updates.Add(update);
            if (update is StreamingResponseOutputTextDeltaUpdate && updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Count() == 1)
            {
                var upstream = await bed.UpstreamMessageAsync();
                // The first text delta reached us while the fake provably still held the second token.
                Assert.Equal(1, upstream.TokensSent);
                upstream.Release();
            }
        }

        Assert.Equal("weighing it", string.Concat(updates.OfType<StreamingResponseReasoningSummaryTextDeltaUpdate>().Select(u => u.Delta)));
        Assert.Equal(["po", "ng"], updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta));
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.IsType<ReasoningResponseItem>(completed.OutputItems[0]);
        Assert.Equal("pong", completed.GetOutputText());
        Assert.Equal(5, completed.Usage.OutputTokenCount);
        Assert.True(completed.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task ClaudeAnswersAWholeResponseWithTheInstructionsAsItsSystemPrompt()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Hello", " there."], OutputTokens = 2 });
        var options = new CreateResponseOptions { Model = "claude/sonnet", Instructions = "Answer like a butler." };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("greet me"));

        ResponseResult response = await Client(bed).CreateResponseAsync(options, Ct);

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("Hello there.", response.GetOutputText());
        Assert.Equal(2, response.Usage.OutputTokenCount);
        var upstream = await bed.UpstreamMessageAsync();
        Assert.Contains("Answer like a butler.", upstream.Body, StringComparison.Ordinal);
        Assert.Contains("greet me", upstream.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFunctionCallRoundTripsThroughClaudeAndTheParkedProcessGoesOn()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Checking."], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", "toolu_r1")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Rain", " in Oslo."] });
        var weather = ResponseTool.CreateFunctionTool("get_weather",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""), strictModeEnabled: false);
        var first = new CreateResponseOptions { Model = "claude/sonnet", StoredOutputEnabled = false, Tools = { weather } };
        first.InputItems.Add(ResponseItem.CreateUserMessageItem("Weather in Oslo?"));

        ResponseResult called = await Client(bed).CreateResponseAsync(first, Ct);
        var call = Assert.Single(called.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal(("toolu_r1", "get_weather", """{"city":"Oslo"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
        var parked = Assert.Single(bed.ClaudeProcesses());

        // As Codex does: store false, the whole history sent back with the output.
        var second = new CreateResponseOptions { Model = "claude/sonnet", StoredOutputEnabled = false, Tools = { weather } };
        foreach (var item in (ResponseItem[])[ResponseItem.CreateUserMessageItem("Weather in Oslo?"), .. called.OutputItems, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "rain, 4 C")])
        {
            second.InputItems.Add(item);
        }
        ResponseResult answer = await Client(bed).CreateResponseAsync(second, Ct);

        Assert.Equal("Rain in Oslo.", answer.GetOutputText());
        Assert.Contains("rain, 4 C", bed.Fake.Requests.Last(r => r.Path == "/v1/messages").Body, StringComparison.Ordinal);
        Assert.Equal([parked], bed.ClaudeProcesses()); // the parked process took the result: no new start, no replay
    }

    [Fact]
    public async Task CodexThroughClaudeRunsItsExecCommandWhenTheModelCallsIt()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        using var codex = new CodexCli(bed.Server.OpenAIEndpoint, "claude/sonnet");
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__exec_command", """{"cmd":"echo hi-from-tool"}""", "toolu_c1")] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["The", " tool", " said", " hi."] });

        var run = await codex.ExecAsync("Run echo hi-from-tool", Ct);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal("hi-from-tool\n", Assert.Single(run.Completed("command_execution")).GetProperty("aggregated_output").GetString());
        Assert.Equal("The tool said hi.", Assert.Single(run.Completed("agent_message")).GetProperty("text").GetString());
        var upstream = bed.Fake.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/messages").ToList();
        Assert.Contains(upstream[0].Json!.Value.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "mcp__gw__exec_command");
        var result = upstream[^1].Json!.Value.GetProperty("messages").EnumerateArray().Last().GetProperty("content").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString() == "tool_result");
        Assert.Equal("toolu_c1", result.GetProperty("tool_use_id").GetString());
        Assert.Contains("hi-from-tool", result.GetRawText(), StringComparison.Ordinal);
    }
}
