using System.Diagnostics;
using System.Runtime.CompilerServices;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Streaming;

/// <summary>The idle timeout bounds each silence of the producer, not the stream's length nor the consumer's time.</summary>
public sealed class IdleTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    [Fact(Timeout = 10_000)]
    public async Task AStalledProducerIsCancelledAndReportedAsATimeoutNoSoonerThanTheTimeout()
    {
        var producerCancelled = new TaskCompletionSource();
        var items = new List<int>();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChatBackendException>(async () =>
        {
            await foreach (var item in IdleTimeout.EnforceAsync(ct => OneThenStall(ct, producerCancelled), Timeout, "fake", TestContext.Current.CancellationToken))
            {
                items.Add(item);
                watch.Restart();
            }
        });

        Assert.Equal(ChatErrorKind.Timeout, error.Kind);
        Assert.Contains("sent nothing for 0.3 s", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], items);
        Assert.InRange(watch.Elapsed, Timeout, TimeSpan.FromSeconds(10));
        Assert.True(producerCancelled.Task.IsCompleted, "the stalled producer saw its token cancelled");
    }

    [Fact]
    public async Task AProducerThatKeepsSendingOutlivesTheTimeout()
    {
        var watch = Stopwatch.StartNew();
        var items = new List<int>();
        await foreach (var item in IdleTimeout.EnforceAsync(ct => Paced(20, TimeSpan.FromMilliseconds(40), ct), Timeout, "fake", TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 20), items);
        Assert.True(watch.Elapsed > Timeout, $"the stream lasted {watch.Elapsed}, longer than one timeout");
    }

    [Fact]
    public async Task TimeTheConsumerHoldsAnItemIsNotSilence()
    {
        var items = new List<int>();
        await foreach (var item in IdleTimeout.EnforceAsync(ct => Paced(3, TimeSpan.Zero, ct), Timeout, "fake", TestContext.Current.CancellationToken))
        {
            items.Add(item);
            await Task.Delay(Timeout * 2, TestContext.Current.CancellationToken);
        }

        Assert.Equal([0, 1, 2], items);
    }

    [Fact]
    public async Task TheCallersCancellationStaysACancellation()
    {
        using var caller = new CancellationTokenSource();
        var producerCancelled = new TaskCompletionSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in IdleTimeout.EnforceAsync(ct => OneThenStall(ct, producerCancelled), TimeSpan.FromMinutes(5), "fake", caller.Token))
            {
                await caller.CancelAsync();
            }
        });

        Assert.True(producerCancelled.Task.IsCompleted);
    }

    private static async IAsyncEnumerable<int> OneThenStall([EnumeratorCancellation] CancellationToken cancellationToken, TaskCompletionSource cancelled)
    {
        yield return 1;
        try
        {
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }
        finally
        {
            cancelled.TrySetResult();
        }
    }

    private static async IAsyncEnumerable<int> Paced(int count, TimeSpan gap, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            if (gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, cancellationToken);
            }
            // An idle timeout shows as this token being cancelled: a producer that is cancelled must not go on.
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }
}
