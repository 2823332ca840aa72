using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Streaming;

public sealed class ChatResponseAggregatorTests
{
    [Fact]
    public void FoldsBlocksIntoPartsInOrder()
    {
        var aggregator = new ChatResponseAggregator();
        ChatEvent[] events =
        [
            new ResponseStarted("r1", "m"),
            new BlockStarted(0, BlockKind.Reasoning), new ReasoningDelta(0, "a"), new ReasoningDelta(0, "b"), new SignatureDelta(0, "s1"), new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text), new TextDelta(1, "Hello"), new TextDelta(1, " you"), new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "c1", "f"), new ToolArgumentsDelta(2, "{\"a\""), new ToolArgumentsDelta(2, ":1}"), new BlockStopped(2),
            new BlockStarted(3, BlockKind.ToolResult, "c1", "f"), new TextDelta(3, "out"), new BlockStopped(3),
            new UsageReported(new ChatUsage(1, 1)), new UsageReported(new ChatUsage(4, 6)),
            new ResponseCompleted(StopReason.ToolUse),
        ];
        foreach (var e in events)
        {
            aggregator.Add(e);
        }

        var response = aggregator.ToResponse();

        Assert.True(aggregator.Completed);
        Assert.Equal("r1", response.Id);
        Assert.Equal("ab", response.Reasoning);
        Assert.Equal("s1", response.Content.OfType<ReasoningPart>().Single().Signature);
        Assert.Equal("Hello you", response.Text);
        Assert.Equal(new ToolCallPart("c1", "f", "{\"a\":1}"), response.ToolCalls.Single());
        Assert.Equal("out", response.Content.OfType<ToolResultPart>().Single().Text);
        Assert.Equal(new ChatUsage(4, 6), response.Usage);
        Assert.Equal(StopReason.ToolUse, response.StopReason);
    }

    [Fact]
    public void ToolCallWithoutArgumentsGetsAnEmptyObject()
    {
        var aggregator = new ChatResponseAggregator();
        aggregator.Add(new BlockStarted(0, BlockKind.ToolCall, "c", "f"));
        aggregator.Add(new ResponseCompleted(StopReason.ToolUse));

        Assert.Equal("{}", aggregator.ToResponse().ToolCalls.Single().ArgumentsJson);
    }

    [Fact]
    public void WithoutCompletionItIsNotCompleted()
    {
        var aggregator = new ChatResponseAggregator();
        aggregator.Add(new TextDelta(0, "x"));
        Assert.False(aggregator.Completed);
    }
}
