using System.Text;
using AcpToApi.Backends;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;
using AcpToApi.Tests.Streaming;

namespace AcpToApi.Tests.Protocols.OpenAI;

/// <summary>Exact events out for upstream SSE in.</summary>
public sealed class OpenAIStreamReaderGoldenTests
{
    private static async Task<List<ChatEvent>> ReadAsync(string sse)
    {
        var events = new List<ChatEvent>();
        await foreach (var e in OpenAIStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), "up", TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        ChatEventContract.AssertValid(events, complete: false);
        return events;
    }

    private static string Chunk(string choicesAndUsage) => $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",{choicesAndUsage}}}\n\n";

    [Fact]
    public async Task ToolCallsAnnouncedBeforeTheirArgumentsKeepTheirOwnArguments()
    {
        var sse =
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":""}},{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":""}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"y\":2}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]""") +
            "data: [DONE]\n\n";

        var events = await ReadAsync(sse);

        Assert.Equal<ChatEvent>(
        [
            new ResponseStarted("c1", "m"),
            new BlockStarted(0, BlockKind.ToolCall, "call_a", "a"),
            new ToolArgumentsDelta(0, "{\"x\":"),
            new ToolArgumentsDelta(0, "1}"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolCall, "call_b", "b"),
            new ToolArgumentsDelta(1, "{\"y\":2}"),
            new BlockStopped(1),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
    }

    [Fact]
    public async Task ArgumentsForACallAlreadyClosedAreAnHonestUpstreamFailureNotACorruptedCall()
    {
        var sse =
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"x\""}},{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":""}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]""") +
            "data: [DONE]\n\n";

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync(sse));

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("interleaved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReasoningTextParallelToolCallsAndUsageOnlyChunk()
    {
        var sse =
            Chunk("""  "choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"reasoning_content":"Think"},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":""}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":1}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}]},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]""") +
            ": keep-alive comment\n\n" +
            Chunk("""  "choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"completion_tokens_details":{"reasoning_tokens":1}}""") +
            "data: [DONE]\n\n";

        var events = await ReadAsync(sse);

        Assert.Equal<ChatEvent>(
        [
            new ResponseStarted("c1", "m"),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "Think"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "Hi"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "call_a", "a"),
            new ToolArgumentsDelta(2, "{\"x\":1}"),
            new BlockStopped(2),
            new BlockStarted(3, BlockKind.ToolCall, "call_b", "b"),
            new ToolArgumentsDelta(3, "{}"),
            new BlockStopped(3),
            new UsageReported(new ChatUsage(9, 4, 1)),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
    }

    [Fact]
    public async Task OpenRouterStyleReasoningFieldIsReasoningToo()
    {
        var events = await ReadAsync(
            Chunk("""  "choices":[{"index":0,"delta":{"reasoning":"r"},"finish_reason":null}]""") +
            Chunk("""  "choices":[{"index":0,"delta":{},"finish_reason":"length"}]"""));

        Assert.Contains(new ReasoningDelta(0, "r"), events);
        Assert.Equal(new ResponseCompleted(StopReason.MaxTokens), events[^1]);
    }

    [Fact]
    public async Task ErrorChunkMidStreamIsAnUpstreamError()
    {
        var sse = Chunk("""  "choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]""") +
            "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync(sse));

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("overloaded", error.Message);
    }

    [Theory]
    [InlineData("data: {not json}\n\n")]
    [InlineData("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n")]
    [InlineData("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n")]
    public async Task MalformedOrUnfinishedStreamsAreNeverPassedOffAsComplete(string sse)
    {
        var error = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync(sse));
        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
    }

    [Fact]
    public async Task RoundTripWriterToReaderKeepsTheEvents()
    {
        var original = new ChatEvent[]
        {
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Text),
            new TextDelta(0, "x"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolCall, "call_1", "f"),
            new ToolArgumentsDelta(1, "{}"),
            new BlockStopped(1),
            new UsageReported(new ChatUsage(3, 2)),
            new ResponseCompleted(StopReason.ToolUse),
        };
        var writer = new OpenAIStreamWriter("id", 1, "m", includeUsage: true);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var e in original)
        {
            writer.Write(e, buffer);
        }

        var events = await ReadAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));

        Assert.Equal(original.Skip(1), events.Skip(1));
    }
}
