using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Backends.OpenCode;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Backends.OpenCode;

/// <summary>Real captured event streams of the pinned daemons in, exact chat events out; no daemon involved.</summary>
public sealed class ServeStreamTranslatorGoldenTests
{
    private static readonly string[] PongText =
    [
        "start",
        "block 0 Text",
        "text 0 po",
        "text 0 n",
        "text 0 g",
        "stop 0",
        "usage in=11 out=3 reasoning=0 cache=0/0",
        "completed end_turn",
    ];

    private static readonly string[] ThinkThenPong =
    [
        "start",
        "block 0 Reasoning",
        "reasoning 0 thinking ",
        "reasoning 0 about ",
        "reasoning 0 pong",
        "stop 0",
        "block 1 Text",
        "text 1 po",
        "text 1 n",
        "text 1 g",
        "stop 1",
        "usage in=11 out=3 reasoning=0 cache=0/0",
        "completed end_turn",
    ];

    private static string[] ToolThenText(string arguments, string output) =>
    [
        "start",
        "block 0 ToolCall call_fake1 bash",
        "args 0 " + arguments,
        "stop 0",
        "block 1 ToolResult call_fake1 bash",
        "text 1 " + output,
        "stop 1",
        "block 2 Text",
        "text 2 tool ",
        "text 2 done: ",
        "text 2 pong",
        "stop 2",
        "usage in=22 out=6 reasoning=0 cache=0/0",
        "completed end_turn",
    ];

    [Theory]
    [InlineData("opencode/opencode-text-events.sse")]
    [InlineData("kilo/kilo-text-events.sse")]
    [InlineData("kilo/kilo-sync-events.sse")]
    public void TextPartDeltasBecomeOneTextBlock(string sample)
    {
        var (rendered, translator) = ServeSample.Translate(sample);

        Assert.Equal(PongText, rendered);
        Assert.True(translator.Completed);
    }

    [Theory]
    [InlineData("opencode/opencode-think-events.sse")]
    [InlineData("kilo/kilo-think-events.sse")]
    public void ReasoningPartDeltasBecomeReasoningThenText(string sample)
    {
        Assert.Equal(ThinkThenPong, ServeSample.Translate(sample).Rendered);
    }

    [Theory]
    [InlineData("opencode/opencode-tool-events.sse")]
    [InlineData("kilo/kilo-tool-events.sse")]
    public void ToolPartBecomesCallThenResultThenTheSecondMessagesText(string sample)
    {
        Assert.Equal(ToolThenText("""{"command":"echo fake-tool-output","description":"Echo a marker"}""", "fake-tool-output\n"), ServeSample.Translate(sample).Rendered);
    }

    [Fact]
    public void PermissionAskedIsReportedForAnAnswer()
    {
        var events = ServeSample.Events("kilo/kilo-tool-permission-events.sse");
        var session = ServeSample.SessionOf(events);
        var translator = new ServeHarness("kilo");
        var output = new List<ChatEvent>();
        var asked = new List<string>();
        foreach (var serveEvent in events.Where(e => e.SessionId == session))
        {
            translator.Translate(serveEvent, output);
            asked.AddRange(translator.TakePermissionRequests());
        }

        Assert.Equal(["per_20ee977760015uNdGfWglCi7LQ"], asked);
        Assert.Equal(ToolThenText("""{"command":"rm -rf marker.txt","description":"Run a command"}""", "(no output)"), output.Select(ServeSample.Render));
    }

    [Fact]
    public void SessionErrorBeforeAnyContentIsTheUpstreamStatusWithTheDaemonsMessage()
    {
        var events = ServeSample.Events("opencode/opencode-fail400-events.sse");
        var session = ServeSample.SessionOf(events);
        var translator = new ServeHarness("opencode");
        var output = new List<ChatEvent>();

        var error = Assert.Throws<ChatBackendException>(() =>
        {
            foreach (var serveEvent in events.Where(e => e.SessionId == session))
            {
                translator.Translate(serveEvent, output);
            }
        });

        Assert.Empty(output);
        Assert.Equal(ChatErrorKind.BadRequest, error.Kind);
        Assert.Equal(400, error.UpstreamStatus);
        Assert.Equal("opencode: the model returned HTTP 400: fake failure 400", error.Message);
        Assert.Equal("APIError", error.Code);
    }

    [Fact]
    public void EveryEventOfEverySampleParsesAndKilosSyncEventsHaveNoSession()
    {
        var lines = File.ReadLines(ServeSample.PathOf("kilo/kilo-sync-events.sse")).Where(l => l.StartsWith("data:", StringComparison.Ordinal)).ToList();
        var events = ServeSample.Events("kilo/kilo-sync-events.sse");

        Assert.Equal(lines.Count, events.Count);
        Assert.Contains(events, e => e.Type == "sync" && e.SessionId is null);
        Assert.Contains(events, e => e.Type == "server.connected" && e.SessionId is null);
    }

    [Fact]
    public void RetryStatusIsAHeartbeatNotAnEnd()
    {
        var translator = new ServeHarness("opencode");
        var output = new List<ChatEvent>();

        translator.Translate(Event("""{"type":"session.status","properties":{"sessionID":"s","status":{"type":"busy"}}}"""), output);
        translator.Translate(Event("""{"type":"session.status","properties":{"sessionID":"s","status":{"type":"retry","attempt":2,"message":"Too Many Requests","next":1795546229070}}}"""), output);
        translator.Translate(Event("""{"type":"plugin.added","properties":{"sessionID":"s","id":"x"}}"""), output);

        Assert.Equal(["heartbeat opencode is retrying the model call (attempt 2): Too Many Requests"], output.Select(ServeSample.Render));
        Assert.False(translator.Completed);
    }

    [Fact]
    public void RetryAfterTextWasSentEndsTheResponseWithAnErrorInsteadOfAppendingTheRetriedAnswer()
    {
        var translator = new ServeHarness("opencode");
        var output = new List<ChatEvent>();
        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"text","text":""}}}"""), output);
        translator.Translate(Event("""{"type":"message.part.delta","properties":{"sessionID":"s","messageID":"m","partID":"p1","field":"text","delta":"tick "}}"""), output);

        var error = Assert.Throws<AcpToApi.Backends.ChatBackendException>(() => translator.Translate(
            Event("""{"type":"session.status","properties":{"sessionID":"s","status":{"type":"retry","attempt":1,"message":"Connection reset by server","next":1}}}"""), output));

        Assert.Equal(AcpToApi.Backends.ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("retry starts its answer over", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryAfterAFinishedStepWithTextIsStillOnlyAHeartbeat()
    {
        var translator = new ServeHarness("opencode");
        var output = new List<ChatEvent>();
        translator.Translate(Event("""{"type":"message.part.delta","properties":{"sessionID":"s","messageID":"m","partID":"p1","field":"text","delta":"step one"}}"""), output);
        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"f1","messageID":"m","type":"step-finish","reason":"tool-calls"}}}"""), output);

        translator.Translate(Event("""{"type":"session.status","properties":{"sessionID":"s","status":{"type":"retry","attempt":1,"message":"Too Many Requests","next":1}}}"""), output);

        Assert.Equal("heartbeat opencode is retrying the model call (attempt 1): Too Many Requests", ServeSample.Render(output[^1]));
    }

    [Fact]
    public void AClientToolCallReachesTheClientUnderItsOwnNameAndItsResultIsNotFoldedIn()
    {
        var translator = new ServeHarness("kilo", "s", "acptoapi4800_1");
        var output = new List<ChatEvent>();
        const string Part = """{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"tool","tool":"acptoapi4800_1_get_weather","callID":"call_1","state":STATE}}}""";

        translator.Translate(Event(Part.Replace("STATE", """{"status":"pending","input":{}}""", StringComparison.Ordinal)), output);
        Assert.Equal(ServeClientCallState.Pending, Assert.Single(translator.ClientCalls).State);
        translator.Translate(Event(Part.Replace("STATE", """{"status":"running","input":{"city":"Oslo"}}""", StringComparison.Ordinal)), output);
        translator.Translate(Event(Part.Replace("STATE", """{"status":"completed","input":{"city":"Oslo"},"output":"rain"}""", StringComparison.Ordinal)), output);

        Assert.Equal(["start", "block 0 ToolCall call_1 get_weather", """args 0 {"city":"Oslo"}""", "stop 0"], output.Select(ServeSample.Render));
        var call = Assert.Single(translator.ClientCalls);
        Assert.Equal(("call_1", "get_weather", ServeClientCallState.Done), (call.CallId, call.ClientName, call.State));
    }

    [Fact]
    public void AnotherConversationsServerIsNotTheClientsTool()
    {
        Assert.Null(ServeClientTools.AgentName("acptoapi4800_1", "acptoapi4800_10_get_weather"));
        Assert.Null(ServeClientTools.AgentName(null, "acptoapi4800_1_get_weather"));
        Assert.Equal("get_weather", ServeClientTools.AgentName("acptoapi4800_1", "acptoapi4800_1_get_weather"));
    }

    [Fact]
    public void IdleBeforeTheTurnBeganIsIgnored()
    {
        var translator = new ServeHarness("kilo");
        var output = new List<ChatEvent>();

        translator.Translate(Event("""{"type":"session.idle","properties":{"sessionID":"s"}}"""), output);

        Assert.Empty(output);
        Assert.False(translator.Completed);
    }

    [Fact]
    public void TextThatArrivesOnlyInTheFinalSnapshotIsForwarded()
    {
        var translator = new ServeHarness("kilo");
        var output = new List<ChatEvent>();

        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"text","text":""}}}"""), output);
        translator.Translate(Event("""{"type":"message.part.delta","properties":{"sessionID":"s","messageID":"m","partID":"p1","field":"text","delta":"hel"}}"""), output);
        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"text","text":"hello","time":{"start":1,"end":2}}}}"""), output);
        translator.Translate(Event("""{"type":"session.idle","properties":{"sessionID":"s"}}"""), output);

        Assert.Equal(["start", "block 0 Text", "text 0 hel", "text 0 lo", "stop 0", "completed end_turn"], output.Select(ServeSample.Render));
    }

    [Fact]
    public void FailedToolBecomesAnErrorResult()
    {
        var translator = new ServeHarness("kilo");
        var output = new List<ChatEvent>();

        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"tool","tool":"bash","callID":"c1","state":{"status":"pending","input":{}}}}}"""), output);
        translator.Translate(Event("""{"type":"message.part.updated","properties":{"sessionID":"s","part":{"id":"p1","messageID":"m","type":"tool","tool":"bash","callID":"c1","state":{"status":"error","input":{"command":"rm x"},"error":"The user rejected permission to use this specific tool call."}}}}"""), output);

        Assert.Equal(
        [
            "start", "block 0 ToolCall c1 bash", """args 0 {"command":"rm x"}""", "stop 0",
            "block 1 ToolResult c1 bash", "text 1 error: The user rejected permission to use this specific tool call.", "stop 1",
        ], output.Select(ServeSample.Render));
    }

    [Fact]
    public void SubAgentSessionsOnlyContributeTheirPermissionRequests()
    {
        var translator = new ServeHarness("opencode", "ses_parent");
        var output = new List<ChatEvent>();

        translator.Translate(Event("""{"type":"message.part.delta","properties":{"sessionID":"ses_child","messageID":"m","partID":"p","field":"text","delta":"child text"}}"""), output);
        translator.Translate(Event("""{"type":"permission.asked","properties":{"id":"per_child","sessionID":"ses_child","permission":"bash"}}"""), output);
        translator.Translate(Event("""{"type":"session.idle","properties":{"sessionID":"ses_child"}}"""), output);

        Assert.Empty(output);
        Assert.Equal(["per_child"], translator.TakePermissionRequests());
        Assert.False(translator.Completed);
    }

    [Fact]
    public void UnknownModelErrorFromTheDaemonIsNotFound()
    {
        var translator = new ServeHarness("opencode");

        var error = Assert.Throws<ChatBackendException>(() => translator.Translate(
            Event("""{"type":"session.error","properties":{"sessionID":"s","error":{"name":"ProviderModelNotFoundError","data":{"providerID":"fake","modelID":"nope"}}}}"""), []));

        Assert.Equal(ChatErrorKind.NotFound, error.Kind);
        Assert.Equal("""opencode: ProviderModelNotFoundError: {"providerID":"fake","modelID":"nope"}""", error.Message);
    }

    private static ServeEvent Event(string json) => ServeEvent.Parse(Encoding.UTF8.GetBytes(json)) ?? throw new JsonException("not an event");
}
