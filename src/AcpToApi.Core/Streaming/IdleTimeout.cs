using System.Diagnostics;
using System.Runtime.CompilerServices;
using AcpToApi.Backends;

namespace AcpToApi.Streaming;

/// <summary>
/// Bounds the silence between two items of a stream, not its total length: the clock runs only while
/// waiting for the producer and restarts on every item. When it expires the producer is cancelled and a
/// 504-kind error is raised. A transport failure while reading becomes a 502-kind error.
/// </summary>
public static class IdleTimeout
{
    public static async IAsyncEnumerable<T> EnforceAsync<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> produce,
        TimeSpan idleTimeout,
        string upstreamName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watch = new IdleWatch(idle, idleTimeout);
        var enumerator = produce(idle.Token).GetAsyncEnumerator(idle.Token);
        try
        {
            while (true)
            {
                bool hasNext;
                watch.StartWaiting();
                try
                {
                    hasNext = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && idle.IsCancellationRequested)
                {
                    throw new ChatBackendException(
                        ChatErrorKind.Timeout,
                        $"{upstreamName} sent nothing for {idleTimeout.TotalSeconds:0.#} s (idle timeout); the request was cancelled.");
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    // A connection that breaks mid-response is the upstream's failure, reported as such (502).
                    throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName}: the connection broke mid-response ({e.Message}).", e);
                }
                watch.StopWaiting();
                if (!hasNext)
                {
                    break;
                }
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One timer per stream instead of re-arming a timer around every item: an item only stamps a timestamp,
    /// and the timer, when it fires, either cancels (the wait has lasted the whole timeout) or sleeps until
    /// the current wait would reach it. Streams with many small items thus pay no timer-queue lock per item.
    /// </summary>
    private sealed class IdleWatch : IDisposable
    {
        private readonly CancellationTokenSource _idle;
        private readonly TimeSpan _timeout;
        private readonly Timer _timer;
        private long _waitingSince;
        private bool _disposed;

        public IdleWatch(CancellationTokenSource idle, TimeSpan timeout)
        {
            _idle = idle;
            _timeout = timeout;
            // The first wait begins right after construction, so the first check is one timeout away.
            _timer = new Timer(static state => ((IdleWatch)state!).Check(), this, timeout, Timeout.InfiniteTimeSpan);
        }

        public void StartWaiting() => Volatile.Write(ref _waitingSince, Stopwatch.GetTimestamp());

        public void StopWaiting() => Volatile.Write(ref _waitingSince, 0);

        private void Check()
        {
            lock (_timer)
            {
                if (_disposed)
                {
                    return;
                }
                var since = Volatile.Read(ref _waitingSince);
                // Not waiting (the consumer holds an item): look again one whole timeout later.
                var waited = since == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(since);
                if (waited >= _timeout)
                {
                    _idle.Cancel();
                    return;
                }
                _timer.Change(_timeout - waited, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            lock (_timer)
            {
                _disposed = true;
                _timer.Dispose();
            }
        }
    }
}
