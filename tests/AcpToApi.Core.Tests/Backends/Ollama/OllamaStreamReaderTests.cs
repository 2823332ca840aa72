using System.Text;
using AcpToApi.Backends;
using AcpToApi.Backends.Ollama;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Backends.Ollama;

/// <summary>Hand-written NDJSON in, exact events out.</summary>
public sealed class OllamaStreamReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<ChatEvent>> ReadAsync(string ndjson)
    {
        var events = new List<ChatEvent>();
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(ndjson));
        await foreach (var chatEvent in OllamaStreamReader.ReadAsync(body, "ollama", Ct))
        {
            events.Add(chatEvent);
        }
        return events;
    }

    [Fact]
    public async Task ThinkingTextAndWholeToolCallsBecomeContiguousBlocks()
    {
        var events = await ReadAsync("""
            {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":"","thinking":"Hm"},"done":false}
            {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":"","thinking":"m."},"done":false}
            {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":"Sure"},"done":false}

            {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"a","arguments":{"x":1}}},{"id":"call_up","function":{"name":"b","arguments":{}}}]},"done":false}
            {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":26,"eval_count":9}
            """);

        var first = Assert.IsType<BlockStarted>(events[8]);
        Assert.StartsWith("call_", first.ToolCallId, StringComparison.Ordinal);
        Assert.Equal(
        [
            new ResponseStarted(null, "qwen3"),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "Hm"),
            new ReasoningDelta(0, "m."),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "Sure"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, first.ToolCallId, "a"),
            new ToolArgumentsDelta(2, """{"x":1}"""),
            new BlockStopped(2),
            new BlockStarted(3, BlockKind.ToolCall, "call_up", "b"),
            new ToolArgumentsDelta(3, "{}"),
            new BlockStopped(3),
            new UsageReported(new ChatUsage(26, 9)),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
    }

    [Fact]
    public async Task LengthIsMaxTokens()
    {
        var events = await ReadAsync("""
            {"model":"m","message":{"role":"assistant","content":"a"},"done":false}
            {"model":"m","message":{"role":"assistant","content":""},"done_reason":"length","done":true,"prompt_eval_count":1,"eval_count":1}
            """);

        Assert.Equal(new ResponseCompleted(StopReason.MaxTokens), events[^1]);
    }

    [Fact]
    public async Task ErrorLinesAndCutStreamsAreUpstreamErrors()
    {
        var error = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync("""
            {"model":"m","message":{"role":"assistant","content":"a"},"done":false}
            {"error":"an error was encountered while running the model"}
            """));
        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("an error was encountered while running the model", error.Message);

        var cut = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync("""{"model":"m","message":{"role":"assistant","content":"a"},"done":false}""" + "\n"));
        Assert.Contains("before its done line", cut.Message);

        var malformed = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync("not json\n"));
        Assert.Contains("malformed", malformed.Message);
    }
}
