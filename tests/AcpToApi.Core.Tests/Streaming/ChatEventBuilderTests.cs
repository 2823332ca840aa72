using AcpToApi.Streaming;

namespace AcpToApi.Tests.Streaming;

public sealed class ChatEventBuilderTests
{
    [Fact]
    public void KeysSeparateBlocksAndEmptyContentOpensNothing()
    {
        var output = new ChatEventBuilder();

        output.Text("", "p1");
        output.Text("a", "p1");
        output.Text("b", "p1");
        output.Reasoning("r", "p2");
        output.Text("c", "p3");
        output.Close("p3");
        output.Close("p3");
        output.Complete(StopReason.EndTurn);
        var events = output.Drain();

        Assert.Equal<ChatEvent>(
        [
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Text), new TextDelta(0, "a"), new TextDelta(0, "b"), new BlockStopped(0),
            new BlockStarted(1, BlockKind.Reasoning), new ReasoningDelta(1, "r"), new BlockStopped(1),
            new BlockStarted(2, BlockKind.Text), new TextDelta(2, "c"), new BlockStopped(2),
            new ResponseCompleted(StopReason.EndTurn),
        ], events);
        ChatEventContract.AssertValid(events);
    }

    [Fact]
    public void AWaitingToolCallThatNeverGetsArgumentsIsStillDeliveredWhole()
    {
        var output = new ChatEventBuilder();

        output.ToolCall("call_a", "a", 0);
        output.ToolCall("call_b", "b", 1);
        output.ToolArguments("{}", 0);
        output.Complete(StopReason.ToolUse);
        var events = output.Drain();

        Assert.Equal<ChatEvent>(
        [
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.ToolCall, "call_a", "a"), new ToolArgumentsDelta(0, "{}"), new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolCall, "call_b", "b"), new BlockStopped(1),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
        Assert.Equal(2, output.ToolCallCount);
    }

    [Fact]
    public void NothingFollowsTheCompletion()
    {
        var output = new ChatEventBuilder();
        output.Complete(StopReason.EndTurn);

        Assert.Throws<InvalidOperationException>(() => output.Text("late"));
        Assert.Equal<ChatEvent>([new ResponseStarted(), new ResponseCompleted(StopReason.EndTurn)], output.Drain());
    }
}
