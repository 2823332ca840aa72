using System.Buffers;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Gemini;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Gemini;

/// <summary>The client side (for a gemini/ backend): upstream SSE in, exact events out; request out; and round trips through the server side.</summary>
public sealed class GeminiClientSideGoldenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<ChatEvent>> ReadAsync(string sse)
    {
        var events = new List<ChatEvent>();
        await foreach (var e in GeminiStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), "up", Ct, callIdPrefix: "call_t"))
        {
            events.Add(e);
        }
        return events;
    }

    private static string Chunk(string parts, string more = "") =>
        "data: {\"candidates\":[{\"content\":{\"parts\":[" + parts + "],\"role\":\"model\"}" + more + ",\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r9\"}\r\n\r\n";

    [Fact]
    public async Task ThoughtsTextSignedParallelCallsAndUsage()
    {
        var sse =
            Chunk("""{"text":"Let me ","thought":true}""") +
            Chunk("""{"text":"see.","thought":true}""") +
            Chunk("""{"text":"Checking."}""") +
            Chunk("""{"functionCall":{"name":"a","args":{"x":1}},"thoughtSignature":"c2ln"},{"functionCall":{"id":"given","name":"b","args":{}}}""") +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"totalTokenCount\":16,\"thoughtsTokenCount\":3}}\r\n\r\n";

        var events = await ReadAsync(sse);

        Assert.Equal<ChatEvent>(
        [
            new ResponseStarted("r9", "gemini-2.5-flash"),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "Let me "),
            new ReasoningDelta(0, "see."),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "Checking."),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.Reasoning),
            new SignatureDelta(2, "c2ln"),
            new BlockStopped(2),
            new BlockStarted(3, BlockKind.ToolCall, "call_t0", "a"),
            new ToolArgumentsDelta(3, """{"x":1}"""),
            new BlockStopped(3),
            new BlockStarted(4, BlockKind.ToolCall, "given", "b"),
            new ToolArgumentsDelta(4, "{}"),
            new BlockStopped(4),
            new UsageReported(new ChatUsage(9, 7, 3)),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
    }

    [Theory]
    [InlineData("STOP", "end_turn")]
    [InlineData("MAX_TOKENS", "max_tokens")]
    [InlineData("SAFETY", "refusal")]
    [InlineData("RECITATION", "refusal")]
    [InlineData("OTHER", "end_turn")]
    public async Task FinishReasonsMapBack(string finishReason, string stopReason)
    {
        var events = await ReadAsync(Chunk("""{"text":"x"}""", ",\"finishReason\":\"" + finishReason + "\""));

        Assert.Equal(new ResponseCompleted(new StopReason(stopReason)), events[^1]);
    }

    [Fact]
    public async Task StreamWithoutFinishReasonIsCutOffAndErrorFrameIsAnUpstreamError()
    {
        var cut = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync(Chunk("""{"text":"x"}""")));
        Assert.Contains("cut off", cut.Message);

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => ReadAsync(Chunk("""{"text":"x"}""") +
            "data: {\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"));
        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("overloaded", error.Message);
    }

    [Fact]
    public void RequestWriterWritesGeminiBody()
    {
        var request = new ChatRequest
        {
            Model = "gemini-2.5-flash",
            Messages =
            [
                ChatMessage.FromText(ChatRole.System, "Be terse."),
                new ChatMessage(ChatRole.User, [new TextPart("look"), new ImagePart(null, "image/png", "AAAA")]),
                new ChatMessage(ChatRole.Assistant, [new ReasoningPart("hmm", "sig"), new ToolCallPart("c1", "f", """{"a":1}""")]),
                new ChatMessage(ChatRole.Tool, [new ToolResultPart("c1", null, [new TextPart("42")])]),
            ],
            Tools = [new ToolDefinition("f", "d", JsonDocument.Parse("""{"type":"object"}""").RootElement)],
            ToolChoice = new ToolChoice(ToolChoiceMode.Function, "f"),
            Temperature = 0.5,
            MaxTokens = 10,
            Stop = ["END"],
            ThinkingBudget = 512,
        };

        var json = Encoding.UTF8.GetString(GeminiRequestWriter.Write(request));

        const string expected = """
            {"contents":[{"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]},
            {"role":"model","parts":[{"text":"hmm","thought":true,"thoughtSignature":"sig"},{"functionCall":{"id":"c1","name":"f","args":{"a":1}}}]},
            {"role":"user","parts":[{"functionResponse":{"id":"c1","name":"f","response":{"output":"42"}}}]}],
            "systemInstruction":{"parts":[{"text":"Be terse."}]},
            "tools":[{"functionDeclarations":[{"name":"f","description":"d","parametersJsonSchema":{"type":"object"}}]}],
            "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}},
            "generationConfig":{"temperature":0.5,"maxOutputTokens":10,"stopSequences":["END"],"thinkingConfig":{"includeThoughts":true,"thinkingBudget":512}}}
            """;
        Assert.Equal(expected.ReplaceLineEndings(""), json);
    }

    [Fact]
    public void RequestRoundTripsThroughTheServerSideReader()
    {
        var original = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                ChatMessage.FromText(ChatRole.System, "sys"),
                ChatMessage.FromText(ChatRole.User, "hi"),
                new ChatMessage(ChatRole.Assistant, [new ReasoningPart("r", "s"), new ToolCallPart("c1", "f", """{"a":1}"""), new ToolCallPart("c2", "g", "{}")]),
                new ChatMessage(ChatRole.Tool, [new ToolResultPart("c1", "f", [new TextPart("1")]), new ToolResultPart("c2", "g", [new TextPart("bad")], IsError: true)]),
            ],
            Temperature = 0.25,
            TopK = 5,
            Seed = 3,
        };

        var wire = JsonSerializer.Deserialize(GeminiRequestWriter.Write(original), GeminiJsonContext.Default.GeminiGenerateContentRequest)!;
        var read = GeminiRequestReader.Read(wire, "m", stream: false);

        Assert.Equal("sys", read.SystemText);
        Assert.Equal(original.Messages.Skip(1).Select(m => m.Role), read.Messages.Skip(1).Select(m => m.Role));
        Assert.Equal(original.Messages[2].Content, read.Messages[2].Content);
        Assert.Equal(original.Messages[3].Content.Cast<ToolResultPart>().Select(r => (r.ToolCallId, r.Name, r.Text, r.IsError)),
            read.Messages[3].Content.Cast<ToolResultPart>().Select(r => (r.ToolCallId, r.Name, r.Text, r.IsError)));
        Assert.Equal((0.25, 5, 3L), (read.Temperature, read.TopK, read.Seed));
    }

    [Fact]
    public async Task EventsRoundTripThroughTheServerSideWriter()
    {
        ChatEvent[] events =
        [
            new ResponseStarted("r1", "echo/m"),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "hmm"),
            new SignatureDelta(0, "sig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "Hi"),
            new TextDelta(1, " there"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "call_a", "a"),
            new ToolArgumentsDelta(2, """{"x":1}"""),
            new BlockStopped(2),
            new UsageReported(new ChatUsage(5, 8, 2)),
            new ResponseCompleted(StopReason.ToolUse),
        ];
        var writer = new GeminiStreamWriter("r1", "echo/m", GeminiStreamFraming.Sse, includeThoughts: true);
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            writer.Write(e, output);
        }

        var back = await ReadAsync(Encoding.UTF8.GetString(output.WrittenSpan));

        Assert.Equal<ChatEvent>(events, back);
    }
}
