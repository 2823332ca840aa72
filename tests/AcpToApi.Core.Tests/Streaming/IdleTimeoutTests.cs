using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AcpToApi.Backends;
using AcpToApi.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace AcpToApi.Tests.Streaming;

/// <summary>
/// The idle timeout bounds each silence of the producer, not the stream's length nor the consumer's time. The clock is a
/// <see cref="FakeTimeProvider"/> moved by the test, so nothing here waits for real time or depends on the machine's speed:
/// the idle token's state is checked right after each move (a fake clock runs due timers inside <c>Advance</c>).
/// </summary>
public sealed class IdleTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStalledProducerIsCancelledAndReportedAsATimeoutOnlyOnceTheWholeTimeoutHasPassed()
    {
        var time = new FakeTimeProvider();
        var producer = new TestProducer();
        await using var stream = IdleTimeout.EnforceAsync(producer.Produce, Timeout, time, "fake", Ct).GetAsyncEnumerator(Ct);
        producer.Send(1);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal(1, stream.Current);

        var next = stream.MoveNextAsync().AsTask(); // waits for the producer, which sends nothing more
        Assert.False(next.IsCompleted);
        time.Advance(Timeout - Tick);
        Assert.False(producer.Token.IsCancellationRequested, "cancelled before the whole timeout had passed");
        time.Advance(Tick);
        Assert.True(producer.Token.IsCancellationRequested, "the stalled producer's token was not cancelled at the timeout");

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => next);
        Assert.Equal(ChatErrorKind.Timeout, error.Kind);
        Assert.Contains("fake sent nothing for 30 s (idle timeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatNeverStartsTimesOutToo()
    {
        var time = new FakeTimeProvider();
        var producer = new TestProducer();
        await using var stream = IdleTimeout.EnforceAsync(producer.Produce, Timeout, time, "fake", Ct).GetAsyncEnumerator(Ct);

        var first = stream.MoveNextAsync().AsTask();
        time.Advance(Timeout);

        Assert.True(producer.Token.IsCancellationRequested);
        Assert.Equal(ChatErrorKind.Timeout, (await Assert.ThrowsAsync<ChatBackendException>(() => first)).Kind);
    }

    [Fact]
    public async Task AProducerThatKeepsSendingOutlivesTheTimeout()
    {
        var time = new FakeTimeProvider();
        var producer = new TestProducer();
        var items = new List<int>();
        await using var stream = IdleTimeout.EnforceAsync(producer.Produce, Timeout, time, "fake", Ct).GetAsyncEnumerator(Ct);

        for (var i = 0; i < 10; i++)
        {
            var next = stream.MoveNextAsync().AsTask();
            time.Advance(Timeout * 0.6); // each silence well inside the timeout, their sum six timeouts
            Assert.False(producer.Token.IsCancellationRequested, $"cancelled during silence {i}, which was shorter than the timeout");
            producer.Send(i);
            Assert.True(await next);
            items.Add(stream.Current);
        }
        producer.Complete();

        Assert.False(await stream.MoveNextAsync());
        Assert.Equal(Enumerable.Range(0, 10), items);
        Assert.True(time.GetUtcNow() - time.Start > Timeout * 5);
    }

    [Fact]
    public async Task TimeTheConsumerHoldsAnItemIsNotSilence()
    {
        var time = new FakeTimeProvider();
        var producer = new TestProducer();
        var items = new List<int>();
        await using var stream = IdleTimeout.EnforceAsync(producer.Produce, Timeout, time, "fake", Ct).GetAsyncEnumerator(Ct);

        for (var i = 0; i < 3; i++)
        {
            producer.Send(i);
            Assert.True(await stream.MoveNextAsync());
            items.Add(stream.Current);
            time.Advance(Timeout * 2); // the consumer is slow with this item; the producer is not silent meanwhile
            Assert.False(producer.Token.IsCancellationRequested, $"cancelled while the consumer held item {i}");
        }
        producer.Complete();

        Assert.False(await stream.MoveNextAsync());
        Assert.Equal([0, 1, 2], items);
    }

    [Fact]
    public async Task TheCallersCancellationStaysACancellation()
    {
        var time = new FakeTimeProvider();
        using var caller = new CancellationTokenSource();
        var producer = new TestProducer();
        await using var stream = IdleTimeout.EnforceAsync(producer.Produce, Timeout, time, "fake", caller.Token).GetAsyncEnumerator(caller.Token);
        producer.Send(1);
        Assert.True(await stream.MoveNextAsync());

        var next = stream.MoveNextAsync().AsTask();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        Assert.True(producer.Token.IsCancellationRequested, "the producer was not told the caller left");
    }

    /// <summary>A producer the test feeds item by item; it shows the token it was given.</summary>
    private sealed class TestProducer
    {
        private readonly Channel<int> _items = Channel.CreateUnbounded<int>();

        public CancellationToken Token { get; private set; }

        public void Send(int item) => Assert.True(_items.Writer.TryWrite(item));

        public void Complete() => _items.Writer.Complete();

        public IAsyncEnumerable<int> Produce(CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            return ReadAsync(cancellationToken);
        }

        private async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (await _items.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_items.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
    }
}
