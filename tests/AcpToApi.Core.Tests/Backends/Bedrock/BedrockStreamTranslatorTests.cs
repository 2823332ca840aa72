using System.Text;
using AcpToApi.Backends;
using AcpToApi.Backends.Bedrock;
using AcpToApi.Streaming;
using AcpToApi.Tests.Streaming;

namespace AcpToApi.Tests.Backends.Bedrock;

/// <summary>Decoded ConverseStream events in, exact neutral events out.</summary>
public sealed class BedrockStreamTranslatorTests
{
    private static BedrockStreamMessage Event(string type, string json) => new("event", type, null, Encoding.UTF8.GetBytes(json));

    /// <summary>The translator with its output recorded and checked against the event contract.</summary>
    private sealed class Harness(string upstreamName, string model)
    {
        private readonly RecordedOutput _output = new();
        private BedrockStreamTranslator? _translator;

        private BedrockStreamTranslator Translator => _translator ??= new BedrockStreamTranslator(_output.Builder, upstreamName, model);

        public bool Completed => _output.Completed;

        public List<ChatEvent> Translate(BedrockStreamMessage message)
        {
            Translator.Translate(message);
            return _output.Take();
        }

        public List<ChatEvent> Finish()
        {
            Translator.Finish();
            return _output.Take();
        }
    }

    private static List<ChatEvent> Play(Harness state, params BedrockStreamMessage[] messages) =>
        [.. messages.SelectMany(m => state.Translate(m).ToList())];

    [Fact]
    public void ReasoningTextAndToolUseAreBlocksAndUsageComesBeforeCompletion()
    {
        var state = new Harness("bedrock", "m");

        var events = Play(state,
            Event("messageStart", """{"role":"assistant","p":"ab"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Hm"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"Ok"}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            Event("contentBlockStart", """{"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"f"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"a\":"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"1}"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":2}"""),
            Event("messageStop", """{"stopReason":"tool_use"}"""),
            Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15,"cacheReadInputTokens":3},"metrics":{"latencyMs":1}}"""));

        Assert.Equal(
        [
            new ResponseStarted(null, "m"),
            new BlockStarted(0, BlockKind.Reasoning),
            new ReasoningDelta(0, "Hm"),
            new SignatureDelta(0, "sig"),
            new BlockStopped(0),
            new BlockStarted(1, BlockKind.Text),
            new TextDelta(1, "Ok"),
            new BlockStopped(1),
            new BlockStarted(2, BlockKind.ToolCall, "tooluse_1", "f"),
            new ToolArgumentsDelta(2, "{\"a\":"),
            new ToolArgumentsDelta(2, "1}"),
            new BlockStopped(2),
            // Bedrock leaves cache reads out of inputTokens; ChatUsage counts them in.
            new UsageReported(new ChatUsage(13, 5, null, 3, null)),
            new ResponseCompleted(StopReason.ToolUse),
        ], events);
        Assert.True(state.Completed);
    }

    [Fact]
    public void WithoutMetadataTheEndOfTheBodyCompletesAfterMessageStop()
    {
        var state = new Harness("bedrock", "m");
        Play(state, Event("messageStart", "{}"), Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}"""),
            Event("messageStop", """{"stopReason":"guardrail_intervened"}"""));

        Assert.Equal([new ResponseCompleted(StopReason.Refusal)], state.Finish());
    }

    [Fact]
    public void ABodyEndingBeforeMessageStopIsAnUpstreamError()
    {
        var state = new Harness("bedrock", "m");
        Play(state, Event("messageStart", "{}"));

        var error = Assert.Throws<ChatBackendException>(() => state.Finish());

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
    }

    [Theory]
    [InlineData("throttlingException", ChatErrorKind.RateLimited)]
    [InlineData("validationException", ChatErrorKind.BadRequest)]
    [InlineData("accessDeniedException", ChatErrorKind.PermissionDenied)]
    [InlineData("modelStreamErrorException", ChatErrorKind.UpstreamError)]
    [InlineData("internalServerException", ChatErrorKind.UpstreamError)]
    [InlineData("serviceUnavailableException", ChatErrorKind.Unavailable)]
    public void ExceptionFramesMapToErrorKinds(string type, ChatErrorKind kind)
    {
        var state = new Harness("bedrock", "m");

        var error = Assert.Throws<ChatBackendException>(() => state.Translate(new BedrockStreamMessage("exception", null, type, """{"message":"boom"}"""u8.ToArray())));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(type, error.Code);
        Assert.Contains("boom", error.Message);
    }
}
