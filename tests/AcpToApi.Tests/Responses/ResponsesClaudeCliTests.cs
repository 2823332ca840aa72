using System.ClientModel;
using System.ClientModel.Primitives;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.ClaudeCli;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK's Responses client is experimental

namespace AcpToApi.Tests.Responses;

/// <summary>/v1/responses answered by the real, pinned Claude Code CLI (claude/) talking to the fake upstream.</summary>
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
}
