using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Streaming;
using AcpToApi.Tests.Streaming;

namespace AcpToApi.Tests.Backends.ClaudeCli;

/// <summary>Real stdout of the pinned CLI (samples captured against a fake upstream) in, exact events out; no process.</summary>
public sealed class ClaudeStreamTranslatorGoldenTests
{
    /// <summary>The translator with its output recorded and checked against the event contract.</summary>
    private sealed class Harness
    {
        private readonly RecordedOutput _output = new();
        private readonly ClaudeStreamTranslator _translator;

        public Harness() => _translator = new ClaudeStreamTranslator(_output.Builder);

        public bool Completed => _output.Completed;

        public string? SessionId => _translator.SessionId;

        public List<ChatEvent> Translate(string line)
        {
            _translator.Translate(line);
            return _output.Take();
        }
    }

    private static List<ChatEvent> Translate(string sample, out Harness translator)
    {
        translator = new Harness();
        var events = new List<ChatEvent>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Samples", "claude", sample)))
        {
            events.AddRange(translator.Translate(line));
        }
        return events;
    }

    [Fact]
    public void TextStreamsOneDeltaPerTextDeltaAndIgnoresTheRepeatedAssistantLine()
    {
        var events = Translate("claude-text1.jsonl", out var translator);

        Assert.Equal(
        [
            new ResponseStarted("msg_fake10", "claude-sonnet-4-5"),
            // Usage as each message reports it (message_start, message_delta), then the result's totals.
            new UsageReported(new ChatUsage(11, 1, null, 0, 0)),
            new BlockStarted(0, BlockKind.Text),
            new TextDelta(0, "po"),
            new TextDelta(0, "n"),
            new TextDelta(0, "g"),
            new BlockStopped(0),
            new UsageReported(new ChatUsage(11, 3, null, 0, 0)),
            new UsageReported(new ChatUsage(11, 3, CacheReadTokens: 0, CacheWriteTokens: 0)),
            new ResponseCompleted(StopReason.EndTurn),
        ], events);
        Assert.True(translator.Completed);
        Assert.Equal("3dbe9a81-1908-4b14-9e10-0b6f3dbe01bf", translator.SessionId);
    }

    [Fact]
    public void SandboxedRunTranslatesTheSameWay()
    {
        var events = Translate("claude-sandboxed.jsonl", out _);

        Assert.Equal("pong", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)));
        Assert.Equal(new ResponseStarted("msg_fake1", "claude-sonnet-5"), events[0]);
        Assert.Equal(new ResponseCompleted(StopReason.EndTurn), events[^1]);
    }

    [Fact]
    public void ThinkingBecomesReasoningWithItsSignatureThenText()
    {
        var events = Translate("claude-think.jsonl", out _);

        Assert.Equal(
        [
            new ResponseStarted("msg_fake21", "claude-sonnet-4-5"),
            new UsageReported(new ChatUsage(11, 1, null, 0, 0)),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "thinking "),
            new ReasoningDelta(0, "about "),
            new ReasoningDelta(0, "pong"),
            new SignatureDelta(0, "fakesig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "po"),
            new TextDelta(1, "n"),
            new TextDelta(1, "g"),
            new BlockStopped(1),
            new UsageReported(new ChatUsage(11, 3, null, 0, 0)),
            new UsageReported(new ChatUsage(11, 3, CacheReadTokens: 0, CacheWriteTokens: 0)),
            new ResponseCompleted(StopReason.EndTurn),
        ], events);
    }

    [Fact]
    public void OwnToolLoopStreamsTheCallThenTheFoldedResultThenTheAnswerWithOneContiguousIndexSpace()
    {
        var events = Translate("claude-tool-allowed.jsonl", out _);

        Assert.Equal(
        [
            new ResponseStarted("msg_fake17", "claude-sonnet-4-5"),
            new UsageReported(new ChatUsage(11, 1, null, 0, 0)),
            new BlockStarted(0, BlockKind.ToolCall, "toolu_fake1", "Bash"),
            new ToolArgumentsDelta(0, "{\"command\":\"touch marker2.txt\""),
            new ToolArgumentsDelta(0, ",\"description\":\"Run a command\"}"),
            new BlockStopped(0),
            new UsageReported(new ChatUsage(11, 3, null, 0, 0)),
            new BlockStarted(1, BlockKind.ToolResult, "toolu_fake1", "Bash"),
            new TextDelta(1, "(Bash completed with no output)"),
            new BlockStopped(1),
            // The second message's usage adds to the first's.
            new UsageReported(new ChatUsage(22, 4, null, 0, 0)),
            new BlockStarted(2, BlockKind.Text),
            new TextDelta(2, "tool "),
            new TextDelta(2, "done: "),
            new TextDelta(2, "pong"),
            new BlockStopped(2),
            new UsageReported(new ChatUsage(22, 6, null, 0, 0)),
            new UsageReported(new ChatUsage(22, 6, CacheReadTokens: 0, CacheWriteTokens: 0)),
            // The agent finished its own loop: the client sees "stop", not "tool_calls".
            new ResponseCompleted(StopReason.EndTurn),
        ], events);
    }

    [Fact]
    public void DeniedToolResultArrivingBeforeTheMessageEndsIsStillFolded()
    {
        var events = Translate("claude-tool-deny.jsonl", out _);

        var result = Assert.Single(events.OfType<BlockStarted>(), b => b.Kind == BlockKind.ToolResult);
        Assert.Equal(new BlockStarted(1, BlockKind.ToolResult, "toolu_fake1", "Bash"), result);
        Assert.Contains("was blocked", Assert.IsType<TextDelta>(events[events.IndexOf(result) + 1]).Text);
        Assert.Equal([0, 1, 2], events.OfType<BlockStarted>().Select(b => b.Index));
        Assert.Equal(new ResponseCompleted(StopReason.EndTurn), events[^1]);
    }

    [Fact]
    public void WithoutPartialMessagesTheResultTextIsTheAnswer()
    {
        var events = Translate("claude-stdin.jsonl", out _);

        Assert.Equal(
        [
            new ResponseStarted(),
            new BlockStarted(0, BlockKind.Text),
            new TextDelta(0, "pong"),
            new BlockStopped(0),
            new UsageReported(new ChatUsage(11, 3, CacheReadTokens: 0, CacheWriteTokens: 0)),
            new ResponseCompleted(StopReason.EndTurn),
        ], events);
    }

    [Theory]
    [InlineData("claude-fail400.jsonl", ChatErrorKind.BadRequest, 400, 400, "fake failure 400")]
    [InlineData("claude-fail500.jsonl", ChatErrorKind.UpstreamError, 502, 500, "fake failure 500")]
    [InlineData("claude-unreachable.jsonl", ChatErrorKind.Unavailable, 503, null, "Unable to connect to API")]
    public void ErrorResultsBecomeTypedErrorsBeforeAnythingIsEmitted(string sample, ChatErrorKind kind, int httpStatus, int? upstreamStatus, string text)
    {
        var translator = new Harness();
        var emitted = new List<ChatEvent>();
        ChatBackendException? error = null;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Samples", "claude", sample)))
        {
            try
            {
                emitted.AddRange(translator.Translate(line));
            }
            catch (ChatBackendException e)
            {
                error = e;
                break;
            }
        }

        Assert.Empty(emitted); // nothing reached the client, so the host can still answer with a real status
        Assert.NotNull(error);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(httpStatus, error.HttpStatus);
        Assert.Equal(upstreamStatus, error.UpstreamStatus);
        Assert.Contains(text, error.Message);
    }

    [Fact]
    public void StrayNonJsonLinesAreIgnored()
    {
        var translator = new Harness();

        Assert.Empty(translator.Translate("not json at all"));
        Assert.Empty(translator.Translate(""));
        Assert.Empty(translator.Translate("[1,2]"));
    }
}
