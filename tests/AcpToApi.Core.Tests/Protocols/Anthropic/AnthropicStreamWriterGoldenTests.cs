using System.Buffers;
using System.Text;
using AcpToApi.Backends;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Anthropic;

/// <summary>Exact Messages SSE out for given events.</summary>
public sealed class AnthropicStreamWriterGoldenTests
{
    private static string Render(params ChatEvent[] events)
    {
        var writer = new AnthropicStreamWriter("msg_1", "echo/m");
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            writer.Write(e, output);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private const string Start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"echo/m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n";

    [Fact]
    public void ThinkingWithSignatureThenTextThenToolUse()
    {
        var text = Render(
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Reasoning), new ReasoningDelta(0, "hmm"), new SignatureDelta(0, "sig=="), new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text), new TextDelta(1, "Hi"), new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "toolu_1", "get"), new ToolArgumentsDelta(2, "{\"a\":"), new ToolArgumentsDelta(2, "1}"), new BlockStopped(2),
            new UsageReported(new ChatUsage(12, 5)),
            new ResponseCompleted(StopReason.ToolUse));

        Assert.Equal(
            Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig==\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":12,\"output_tokens\":5}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            text);
    }

    [Fact]
    public void EmptyBlocksAreNeverSentAndIndexesStayContiguous()
    {
        var text = Render(
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Text), new BlockStopped(0),
            new BlockStarted(1, BlockKind.Reasoning), new ReasoningDelta(1, ""), new BlockStopped(1),
            new BlockStarted(2, BlockKind.Text), new TextDelta(2, "x"), new BlockStopped(2),
            new ResponseCompleted(StopReason.EndTurn));

        Assert.DoesNotContain("\"index\":1", text);
        Assert.Contains("\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}", text);
    }

    [Fact]
    public void UsageKnownBeforeContentGoesIntoMessageStart()
    {
        var text = Render(new ResponseStarted(), new UsageReported(new ChatUsage(40, 1)), new BlockStarted(0, BlockKind.Text), new TextDelta(0, "a"));
        Assert.Contains("\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}", text);
    }

    [Fact]
    public void AgentToolOutputIsFoldedIntoATextBlockWithTheMarker()
    {
        var text = Render(new BlockStarted(0, BlockKind.ToolResult, "t1", "read"), new TextDelta(0, "body"), new BlockStopped(0), new ResponseCompleted(StopReason.EndTurn));

        Assert.Contains("\"content_block\":{\"type\":\"text\",\"text\":\"\"}", text);
        Assert.Contains("\"text\":\"\\n\\n[tool result: read (t1)]\\n\"", text);
        Assert.Contains("\"text\":\"body\"", text);
        Assert.Contains("\"text\":\"\\n[/tool result]\\n\\n\"", text);
    }

    [Fact]
    public void HeartbeatIsAPingAndErrorsAreErrorEvents()
    {
        var writer = new AnthropicStreamWriter("msg_1", "m");
        var output = new ArrayBufferWriter<byte>();
        writer.Write(new Heartbeat(), output);
        writer.WriteError(new ChatBackendException(ChatErrorKind.RateLimited, "slow"), output);

        Assert.Equal(
            "event: ping\ndata: {\"type\":\"ping\"}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.False(writer.Completed);
    }
}
