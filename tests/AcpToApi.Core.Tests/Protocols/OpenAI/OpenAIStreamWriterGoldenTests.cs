using System.Buffers;
using System.Text;
using AcpToApi.Backends;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.OpenAI;

/// <summary>Exact bytes out for given events.</summary>
public sealed class OpenAIStreamWriterGoldenTests
{
    private const string Head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"echo/m\"";

    private static (string Text, List<bool> Frames) Render(bool includeUsage, params ChatEvent[] events)
    {
        var writer = new OpenAIStreamWriter("chatcmpl-1", 1700000000, "echo/m", includeUsage);
        var output = new ArrayBufferWriter<byte>();
        var frames = events.Select(e => writer.Write(e, output)).ToList();
        return (Encoding.UTF8.GetString(output.WrittenSpan), frames);
    }

    [Fact]
    public void TextStreamWithUsage()
    {
        var (text, frames) = Render(true,
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Text),
            new TextDelta(0, "Hi"),
            new TextDelta(0, " there"),
            new BlockStopped(0),
            new UsageReported(new ChatUsage(5, 2)),
            new ResponseCompleted(StopReason.EndTurn));

        Assert.Equal(
            Head + ""","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"content":" there"},"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""" + "\n\n" +
            Head + ""","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""" + "\n\n" +
            "data: [DONE]\n\n",
            text);
        Assert.Equal([true, false, true, true, false, false, true], frames);
    }

    [Fact]
    public void ParallelToolCallsReasoningAndNoUsageWhenNotAsked()
    {
        var (text, _) = Render(false,
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "hmm"),
            new SignatureDelta(0, "sig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolCall, "call_a", "a"),
            new ToolArgumentsDelta(1, "{\"x\":"),
            new ToolArgumentsDelta(1, "1}"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "call_b", "b"),
            new ToolArgumentsDelta(2, "{}"),
            new BlockStopped(2),
            new UsageReported(new ChatUsage(1, 1)),
            new ResponseCompleted(StopReason.ToolUse));

        Assert.Equal(
            Head + ""","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"reasoning_content":"hmm"},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            Head + ""","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}""" + "\n\n" +
            "data: [DONE]\n\n",
            text);
    }

    [Fact]
    public void AgentToolResultIsFoldedIntoContentWithTheMarker()
    {
        var (text, _) = Render(false,
            new BlockStarted(0, BlockKind.ToolResult, "t1", "read"),
            new TextDelta(0, "file body"),
            new BlockStopped(0),
            new ResponseCompleted(StopReason.EndTurn));

        Assert.Contains("\"content\":\"\\n\\n[tool result: read (t1)]\\n\"", text);
        Assert.Contains("\"content\":\"file body\"", text);
        Assert.Contains("\"content\":\"\\n[/tool result]\\n\\n\"", text);
    }

    [Fact]
    public void InBandErrorFrameEndsTheStreamWithoutDone()
    {
        var writer = new OpenAIStreamWriter("chatcmpl-1", 1700000000, "echo/m", false);
        var output = new ArrayBufferWriter<byte>();
        writer.Write(new TextDelta(0, "a"), output);
        writer.WriteError(new ChatBackendException(ChatErrorKind.UpstreamError, "upstream broke"), output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.EndsWith("""data: {"error":{"message":"upstream broke","type":"api_error","param":null,"code":"upstream_error"}}""" + "\n\n", text);
        Assert.DoesNotContain("[DONE]", text);
        Assert.False(writer.Completed);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "stop")]
    [InlineData("something_new", "stop")]
    public void StopReasonsMapOnlyToOpenAIsFourValues(string reason, string finish) =>
        Assert.Equal(finish, new StopReason(reason).ToOpenAI());
}
