using AcpToApi.Streaming;

namespace AcpToApi.Tests.Streaming;

/// <summary>
/// Checks an event sequence against the contract every writer relies on: heartbeats anywhere, otherwise
/// <see cref="ResponseStarted"/> first; one block open at a time; indexes contiguous from 0; every delta for the open
/// block and of its kind; <see cref="ResponseCompleted"/> last, with no block open. <paramref name="complete"/> false
/// accepts a stream that stops early (an error mid-stream).
/// </summary>
internal static class ChatEventContract
{
    public static void AssertValid(IReadOnlyList<ChatEvent> events, bool complete = true)
    {
        var started = false;
        var completed = false;
        var next = 0;
        BlockStarted? open = null;
        for (var i = 0; i < events.Count; i++)
        {
            var chatEvent = events[i];
            string Where() => $"event {i} ({chatEvent})";
            Assert.False(completed, $"{Where()} comes after ResponseCompleted");
            if (chatEvent is Heartbeat)
            {
                continue;
            }
            if (!started)
            {
                Assert.True(chatEvent is ResponseStarted, $"{Where()} comes before ResponseStarted");
                started = true;
                continue;
            }
            switch (chatEvent)
            {
                case ResponseStarted:
                    Assert.Fail($"{Where()}: a second ResponseStarted");
                    break;
                case BlockStarted block:
                    Assert.True(open is null, $"{Where()} opens a block while block {open?.Index} is open");
                    Assert.Equal(next++, block.Index);
                    if (block.Kind is BlockKind.ToolCall)
                    {
                        Assert.False(string.IsNullOrEmpty(block.ToolCallId), $"{Where()}: a tool call without an id");
                    }
                    open = block;
                    break;
                case TextDelta text:
                    AssertOpen(open, text.Index, Where(), BlockKind.Text, BlockKind.ToolResult);
                    break;
                case ReasoningDelta reasoning:
                    AssertOpen(open, reasoning.Index, Where(), BlockKind.Reasoning);
                    break;
                case SignatureDelta signature:
                    AssertOpen(open, signature.Index, Where(), BlockKind.Reasoning);
                    break;
                case ToolArgumentsDelta arguments:
                    AssertOpen(open, arguments.Index, Where(), BlockKind.ToolCall);
                    break;
                case BlockStopped stopped:
                    Assert.True(open is not null && open.Index == stopped.Index, $"{Where()} stops a block that is not open (open: {open?.Index})");
                    open = null;
                    break;
                case ResponseCompleted:
                    Assert.True(open is null, $"{Where()} completes while block {open?.Index} is open");
                    completed = true;
                    break;
            }
        }
        if (complete)
        {
            Assert.True(completed, "the stream never completed");
        }
    }

    private static void AssertOpen(BlockStarted? open, int index, string where, params BlockKind[] kinds)
    {
        Assert.True(open is not null && open.Index == index, $"{where} is for block {index}, but the open block is {open?.Index.ToString() ?? "none"}");
        Assert.True(kinds.Contains(open!.Kind), $"{where} does not belong in a {open.Kind} block");
    }
}
