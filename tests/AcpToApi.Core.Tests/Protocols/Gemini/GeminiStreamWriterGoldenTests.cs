using System.Buffers;
using System.Text;
using AcpToApi.Backends;
using AcpToApi.Protocols.Gemini;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Gemini;

/// <summary>Exact bytes out for given events, in both framings.</summary>
public sealed class GeminiStreamWriterGoldenTests
{
    private const string Tail = ""","modelVersion":"echo/m","responseId":"r1"}""";

    private static string Chunk(string part) => """{"candidates":[{"content":{"parts":[""" + part + """],"role":"model"},"index":0}]""" + Tail;

    private static string Final(string finishReason, string usage) =>
        """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":""" + "\"" + finishReason + "\"" + ""","index":0}],"usageMetadata":""" + usage + Tail;

    private static (string Text, List<bool> Frames, bool Completed) Render(GeminiStreamFraming framing, bool includeThoughts, params ChatEvent[] events)
    {
        var writer = new GeminiStreamWriter("r1", "echo/m", framing, includeThoughts);
        var output = new ArrayBufferWriter<byte>();
        var frames = events.Select(e => writer.Write(e, output)).ToList();
        return (Encoding.UTF8.GetString(output.WrittenSpan), frames, writer.Completed);
    }

    private static readonly ChatEvent[] TextEvents =
    [
        new ResponseStarted(),
        new BlockStarted(0, BlockKind.Text),
        new TextDelta(0, "Hi"),
        new TextDelta(0, " there"),
        new BlockStopped(0),
        new UsageReported(new ChatUsage(5, 2)),
        new ResponseCompleted(StopReason.EndTurn),
    ];

    [Fact]
    public void TextAsSse()
    {
        var (text, frames, completed) = Render(GeminiStreamFraming.Sse, false, TextEvents);

        Assert.Equal(
            "data: " + Chunk("""{"text":"Hi"}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"text":" there"}""") + "\r\n\r\n" +
            "data: " + Final("STOP", """{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7}""") + "\r\n\r\n",
            text);
        Assert.Equal([false, false, true, true, false, false, true], frames);
        Assert.True(completed);
    }

    [Fact]
    public void TextAsStreamedJsonArray()
    {
        var (text, frames, completed) = Render(GeminiStreamFraming.JsonArray, false, TextEvents);

        Assert.Equal(
            "[" + Chunk("""{"text":"Hi"}""") +
            ",\r\n" + Chunk("""{"text":" there"}""") +
            ",\r\n" + Final("STOP", """{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7}""") + "]",
            text);
        Assert.Equal([false, false, true, true, false, false, true], frames);
        Assert.True(completed);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(text).RootElement.GetArrayLength()); // the whole body is one JSON array
    }

    [Fact]
    public void ThoughtsWithSignatureAndParallelFunctionCallsEmittedWhole()
    {
        var (text, frames, _) = Render(GeminiStreamFraming.Sse, true,
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
            new BlockStopped(2),
            new UsageReported(new ChatUsage(10, 6, ReasoningTokens: 4)),
            new ResponseCompleted(StopReason.ToolUse));

        Assert.Equal(
            "data: " + Chunk("""{"text":"hmm","thought":true}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"text":"","thought":true,"thoughtSignature":"sig"}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"functionCall":{"id":"call_a","name":"a","args":{"x":1}}}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"functionCall":{"id":"call_b","name":"b","args":{}}}""") + "\r\n\r\n" +
            "data: " + Final("STOP", """{"promptTokenCount":10,"candidatesTokenCount":2,"totalTokenCount":16,"thoughtsTokenCount":4}""") + "\r\n\r\n",
            text);
        Assert.Equal([false, false, true, false, true, false, false, false, true, false, true, false, true], frames);
    }

    [Fact]
    public void ThoughtsAreHiddenUnlessTheClientAskedForThem()
    {
        var (text, _, _) = Render(GeminiStreamFraming.Sse, false,
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "hmm"),
            new SignatureDelta(0, "sig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "ok"),
            new BlockStopped(1),
            new ResponseCompleted(StopReason.EndTurn));

        // The thoughts stay hidden, but their signature rides on the next part, where Gemini puts it.
        Assert.Equal(
            "data: " + Chunk("""{"text":"ok","thoughtSignature":"sig"}""") + "\r\n\r\n" +
            "data: " + Final("STOP", """{"promptTokenCount":0,"candidatesTokenCount":0,"totalTokenCount":0}""") + "\r\n\r\n",
            text);
    }

    [Fact]
    public void HiddenThoughtSignatureGoesOnTheFunctionCallPart()
    {
        var (text, _, _) = Render(GeminiStreamFraming.JsonArray, false,
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "hmm"),
            new SignatureDelta(0, "sig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.ToolCall, "c1", "f"),
            new ToolArgumentsDelta(1, "{}"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "c2", "f"),
            new BlockStopped(2));

        Assert.Equal(
            "[" + Chunk("""{"functionCall":{"id":"c1","name":"f","args":{}},"thoughtSignature":"sig"}""") +
            ",\r\n" + Chunk("""{"functionCall":{"id":"c2","name":"f","args":{}}}"""),
            text);
    }

    [Theory]
    [InlineData("end_turn", "STOP")]
    [InlineData("stop_sequence", "STOP")]
    [InlineData("tool_use", "STOP")]
    [InlineData("pause_turn", "STOP")]
    [InlineData("max_tokens", "MAX_TOKENS")]
    [InlineData("refusal", "SAFETY")]
    [InlineData("something_new", "OTHER")]
    public void EveryStopReasonHasAGeminiFinishReason(string stopReason, string finishReason)
    {
        var (text, _, _) = Render(GeminiStreamFraming.Sse, false, new ResponseCompleted(new StopReason(stopReason)));

        Assert.Equal("data: " + Final(finishReason, """{"promptTokenCount":0,"candidatesTokenCount":0,"totalTokenCount":0}""") + "\r\n\r\n", text);
    }

    [Fact]
    public void InBandErrorIsTheLastSseFrame()
    {
        var writer = new GeminiStreamWriter("r1", "echo/m", GeminiStreamFraming.Sse, false);
        var output = new ArrayBufferWriter<byte>();
        writer.Write(new TextDelta(0, "Hi"), output);
        writer.WriteError(new ChatBackendException(ChatErrorKind.UpstreamError, "upstream broke"), output);

        Assert.Equal(
            "data: " + Chunk("""{"text":"Hi"}""") + "\r\n\r\n" +
            """data: {"error":{"code":502,"message":"upstream broke","status":"UNAVAILABLE"}}""" + "\r\n\r\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.False(writer.Completed);
    }

    [Fact]
    public void InBandErrorIsTheLastArrayElementAndClosesTheArray()
    {
        var writer = new GeminiStreamWriter("r1", "echo/m", GeminiStreamFraming.JsonArray, false);
        var output = new ArrayBufferWriter<byte>();
        writer.Write(new TextDelta(0, "Hi"), output);
        writer.WriteError(new ChatBackendException(ChatErrorKind.Timeout, "idle"), output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal("[" + Chunk("""{"text":"Hi"}""") + ",\r\n" + """{"error":{"code":504,"message":"idle","status":"DEADLINE_EXCEEDED"}}""" + "]", text);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(text).RootElement.GetArrayLength());
    }

    [Fact]
    public void AgentToolResultsAreFoldedIntoTextAndKeepAlivesAreSseComments()
    {
        var (text, _, _) = Render(GeminiStreamFraming.Sse, false,
            new BlockStarted(0, BlockKind.ToolResult, "t1", "bash"),
            new TextDelta(0, "out"),
            new BlockStopped(0),
            new Heartbeat());

        Assert.Equal(
            "data: " + Chunk("""{"text":"\n\n[tool result: bash (t1)]\n"}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"text":"out"}""") + "\r\n\r\n" +
            "data: " + Chunk("""{"text":"\n[/tool result]\n\n"}""") + "\r\n\r\n" +
            ": keep-alive\r\n\r\n",
            text);
        var (array, frames, _) = Render(GeminiStreamFraming.JsonArray, false, new Heartbeat());
        Assert.Equal("", array); // no keep-alive inside a JSON array
        Assert.Equal([false], frames);
    }

    [Fact]
    public void ArgumentsThatAreNotAnObjectAreWrapped()
    {
        var (text, _, _) = Render(GeminiStreamFraming.JsonArray, false,
            new BlockStarted(0, BlockKind.ToolCall, null, "f"),
            new ToolArgumentsDelta(0, "not json"),
            new BlockStopped(0));

        Assert.Equal("[" + Chunk("""{"functionCall":{"name":"f","args":{"value":"not json"}}}"""), text);
    }
}
