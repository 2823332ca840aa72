using AcpToApi.Backends;
using AcpToApi.Backends.Echo;
using AcpToApi.Conversation;
using AcpToApi.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace AcpToApi.Tests.Backends;

public sealed class EchoBackendTests
{
    private static async Task<List<ChatEvent>> RunAsync(ChatRequest request)
    {
        var events = new List<ChatEvent>();
        await foreach (var e in new EchoBackend().StreamAsync(request, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        return events;
    }

    private static ChatRequest Request(string model, string text, int? maxTokens = null, IReadOnlyList<string>? stop = null) => new()
    {
        Model = model,
        Messages = [ChatMessage.FromText(ChatRole.User, text)],
        MaxTokens = maxTokens,
        Stop = stop ?? [],
    };

    [Fact]
    public void WordsKeepTheirSpacesAndJoinBackToTheText()
    {
        const string text = "  one two\tthree \n";
        var words = EchoBackend.Words(text);
        Assert.Equal(["  one ", "two\t", "three \n"], words);
        Assert.Equal(text, string.Concat(words));
    }

    [Fact]
    public async Task OneDeltaPerWordWithUsage()
    {
        var events = await RunAsync(Request("hello", "a b c"));

        Assert.Equal(["a ", "b ", "c"], events.OfType<TextDelta>().Select(d => d.Text));
        // The input is known at the start (for Anthropic's message_start); the final count comes at the end.
        Assert.Equal([new ChatUsage(3, 0), new ChatUsage(3, 3)], events.OfType<UsageReported>().Select(u => u.Usage));
        Assert.IsType<UsageReported>(events[1]);
        Assert.Equal(new ResponseCompleted(StopReason.EndTurn), events[^1]);
    }

    [Fact]
    public async Task MaxTokensAndStopSequencesEndTheAnswerLikeAModel()
    {
        var limited = await RunAsync(Request("x", "a b c d", maxTokens: 2));
        Assert.Equal("a b ", string.Concat(limited.OfType<TextDelta>().Select(d => d.Text)));
        Assert.Equal(new ResponseCompleted(StopReason.MaxTokens), limited[^1]);

        var stopped = await RunAsync(Request("x", "a b STOP c", stop: ["STOP"]));
        Assert.Equal("a b ", string.Concat(stopped.OfType<TextDelta>().Select(d => d.Text)));
        Assert.Equal(new ResponseCompleted(StopReason.StopSequence, "STOP"), stopped[^1]);
    }

    [Fact]
    public async Task ThinkProducesASignedReasoningBlockFirst()
    {
        var events = await RunAsync(Request("x+think", "hi"));

        Assert.Equal(new BlockStarted(0, BlockKind.Reasoning), events[2]);
        Assert.Single(events.OfType<SignatureDelta>());
        Assert.True(events.IndexOf(events.OfType<ReasoningDelta>().Last()) < events.IndexOf(events.OfType<TextDelta>().First()));
    }

    [Theory]
    [InlineData("x+error=400", ChatErrorKind.BadRequest)]
    [InlineData("x+error=401", ChatErrorKind.Authentication)]
    [InlineData("x+error=429", ChatErrorKind.RateLimited)]
    [InlineData("x+error=500", ChatErrorKind.UpstreamError)]
    [InlineData("x+error=503", ChatErrorKind.Unavailable)]
    [InlineData("x+error=504", ChatErrorKind.Timeout)]
    public async Task ErrorOptionFailsBeforeAnyEvent(string model, ChatErrorKind kind)
    {
        var error = await Assert.ThrowsAsync<ChatBackendException>(() => RunAsync(Request(model, "hi")));
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task FailAfterFailsMidStream()
    {
        var seen = new List<ChatEvent>();
        var error = await Assert.ThrowsAsync<ChatBackendException>(async () =>
        {
            await foreach (var e in new EchoBackend().StreamAsync(Request("x+fail-after=2", "a b c d"), TestContext.Current.CancellationToken))
            {
                seen.Add(e);
            }
        });
        Assert.Equal(2, seen.OfType<TextDelta>().Count());
        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
    }

    [Fact]
    public async Task ToolOptionCallsTheChosenToolWithSchemaShapedArguments()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"},"opt":{"type":"string"}},"required":["q","n"]}""").RootElement;
        var request = Request("x+tool", "", null) with
        {
            Tools = [new ToolDefinition("first", null, null), new ToolDefinition("search", null, schema)],
            ToolChoice = new ToolChoice(ToolChoiceMode.Function, "search"),
            Messages = [ChatMessage.FromText(ChatRole.User, "cats")],
        };

        var events = await RunAsync(request);

        var call = events.OfType<BlockStarted>().Single(b => b.Kind == BlockKind.ToolCall);
        Assert.Equal("search", call.ToolName);
        Assert.Equal("""{"q":"cats","n":0}""", events.OfType<ToolArgumentsDelta>().Single().JsonFragment);
        Assert.Equal(new ResponseCompleted(StopReason.ToolUse), events[^1]);
    }

    [Fact]
    public async Task DelayPacesEachWordOnTheClockAndHonoursCancellation()
    {
        var time = new FakeTimeProvider();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var stream = new EchoBackend(time).StreamAsync(Request("x+delay=10000", "a b"), cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await stream.MoveNextAsync());
        Assert.IsType<ResponseStarted>(stream.Current);
        Assert.True(await stream.MoveNextAsync());
        Assert.IsType<UsageReported>(stream.Current);

        // The first word waits 10 s on the clock: not a moment less.
        var next = stream.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(9_999));
        Assert.False(next.IsCompleted, "the first word came before its delay had passed");
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await next);
        Assert.IsType<BlockStarted>(stream.Current);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("a ", Assert.IsType<TextDelta>(stream.Current).Text);

        // The second word's delay is cancelled, not waited out.
        var second = stream.MoveNextAsync().AsTask();
        Assert.False(second.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }
}
