using System.Buffers;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Protocols.Responses;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Responses;

/// <summary>Neutral events in, the exact Responses event sequence out.</summary>
public sealed class ResponsesStreamWriterGoldenTests
{
    private static readonly ResponsesEcho Echo = new() { Id = "resp_1", Model = "echo/x", CreatedAt = 1700000000 };

    private static List<(string Event, JsonElement Data)> Render(IEnumerable<ChatEvent> events, ChatBackendException? error = null)
    {
        var writer = new ResponsesStreamWriter(Echo);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var chatEvent in events)
        {
            writer.Write(chatEvent, buffer);
        }
        if (error is not null)
        {
            writer.WriteError(error, buffer);
        }
        var frames = new List<(string, JsonElement)>();
        foreach (var frame in Encoding.UTF8.GetString(buffer.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            frames.Add((lines[0]["event: ".Length..], data));
        }
        // Every event carries an increasing sequence number, from 0.
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Item2.GetProperty("sequence_number").GetInt32()));
        return frames;
    }

    [Fact]
    public void ReasoningTextAndParallelCallsEachBecomeAnItemThenTheResponseCompletesWithUsage()
    {
        var frames = Render(
        [
            new ResponseStarted("x", "m"),
            new UsageReported(new ChatUsage(10, 0)),
            new BlockStarted(0, BlockKind.Reasoning), new ReasoningDelta(0, "Let me "), new ReasoningDelta(0, "see."), new SignatureDelta(0, "sig"), new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text), new TextDelta(1, "Check"), new TextDelta(1, "ing."), new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "call_a", "a"), new ToolArgumentsDelta(2, "{\"x\":"), new ToolArgumentsDelta(2, "1}"), new BlockStopped(2),
            new BlockStarted(3, BlockKind.ToolCall, "call_b", "b"), new BlockStopped(3),
            new UsageReported(new ChatUsage(10, 7, 3, 4)),
            new ResponseCompleted(StopReason.ToolUse),
        ]);

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.done", "response.output_item.done",
            "response.completed",
        ], frames.Select(f => f.Event));

        var created = frames[0].Data.GetProperty("response");
        Assert.Equal(("resp_1", "response", "in_progress", "echo/x"), (created.GetProperty("id").GetString(), created.GetProperty("object").GetString(),
            created.GetProperty("status").GetString(), created.GetProperty("model").GetString()));
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());

        var reasoningDone = frames[8].Data.GetProperty("item");
        Assert.Equal("Let me see.", reasoningDone.GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal("acptoapi.v1:sig", reasoningDone.GetProperty("encrypted_content").GetString());

        var textDelta = frames[11].Data;
        Assert.Equal((1, 0, "Check"), (textDelta.GetProperty("output_index").GetInt32(), textDelta.GetProperty("content_index").GetInt32(), textDelta.GetProperty("delta").GetString()));
        Assert.Equal(frames[9].Data.GetProperty("item").GetProperty("id").GetString(), textDelta.GetProperty("item_id").GetString());
        Assert.Equal("Checking.", frames[13].Data.GetProperty("text").GetString());

        var callAdded = frames[16].Data.GetProperty("item");
        Assert.Equal(("function_call", "call_a", "a", "", "in_progress"), (callAdded.GetProperty("type").GetString(), callAdded.GetProperty("call_id").GetString(),
            callAdded.GetProperty("name").GetString(), callAdded.GetProperty("arguments").GetString(), callAdded.GetProperty("status").GetString()));
        Assert.Equal("{\"x\":1}", frames[19].Data.GetProperty("arguments").GetString());
        Assert.Equal("{}", frames[22].Data.GetProperty("arguments").GetString());

        var completed = frames[^1].Data.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(["reasoning", "message", "function_call", "function_call"],
            completed.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        var usage = completed.GetProperty("usage");
        Assert.Equal((10, 4, 7, 3, 17), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(),
            usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32()));
    }

    [Fact]
    public void MaxTokensEndsWithResponseIncomplete()
    {
        var frames = Render([new ResponseStarted(), new BlockStarted(0, BlockKind.Text), new TextDelta(0, "a"), new BlockStopped(0), new ResponseCompleted(StopReason.MaxTokens)]);

        Assert.Equal("response.incomplete", frames[^1].Event);
        var response = frames[^1].Data.GetProperty("response");
        Assert.Equal(("incomplete", "max_output_tokens"), (response.GetProperty("status").GetString(),
            response.GetProperty("incomplete_details").GetProperty("reason").GetString()));
        Assert.DoesNotContain(frames, f => f.Event == "response.completed");
    }

    [Fact]
    public void AFailureAfterTheFirstByteEndsWithResponseFailedCarryingACodeClientsActOn()
    {
        var frames = Render([new ResponseStarted(), new BlockStarted(0, BlockKind.Text), new TextDelta(0, "a")],
            new ChatBackendException(ChatErrorKind.RateLimited, "slow down"));

        Assert.Equal("response.failed", frames[^1].Event);
        var response = frames[^1].Data.GetProperty("response");
        Assert.Equal("failed", response.GetProperty("status").GetString());
        Assert.Equal(("rate_limit_exceeded", "slow down"), (response.GetProperty("error").GetProperty("code").GetString(),
            response.GetProperty("error").GetProperty("message").GetString()));
        Assert.DoesNotContain(frames, f => f.Event is "response.completed" or "response.incomplete");
    }

    [Fact]
    public void AnAgentsOwnToolOutputIsFoldedIntoAMarkedMessage()
    {
        var frames = Render([new ResponseStarted(), new BlockStarted(0, BlockKind.ToolResult, "t1", "Bash"), new TextDelta(0, "out"), new BlockStopped(0), new ResponseCompleted(StopReason.EndTurn)]);

        var item = frames.Single(f => f.Event == "response.output_item.done").Data.GetProperty("item");
        Assert.Equal(ToolResultMarker.Format("Bash", "t1", "out"), item.GetProperty("content")[0].GetProperty("text").GetString());
    }
}
