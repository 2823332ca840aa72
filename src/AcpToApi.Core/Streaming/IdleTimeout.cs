using System.Runtime.CompilerServices;
using AcpToApi.Backends;

namespace AcpToApi.Streaming;

/// <summary>
/// Bounds the silence between two items of a stream, not its total length: the clock runs only while
/// waiting for the producer and restarts on every item. When it expires the producer is cancelled and a
/// 504-kind error is raised. A transport failure while reading becomes a 502-kind error. The clock is the
/// <see cref="TimeProvider"/> given (the app's, so tests can stand in a fake one).
/// </summary>
internal static class IdleTimeout
{
    public static async IAsyncEnumerable<T> EnforceAsync<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> produce,
        TimeSpan idleTimeout,
        TimeProvider timeProvider,
        string upstreamName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watch = new IdleWatch(idle, idleTimeout, timeProvider);
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
        private readonly TimeProvider _time;
        private readonly ITimer _timer;
        // A timestamp of the provider's own scale (a fake clock's may be 0), so "not waiting" is a value no clock returns.
        private const long NotWaiting = long.MinValue;
        private long _waitingSince = NotWaiting;
        private bool _disposed;

        public IdleWatch(CancellationTokenSource idle, TimeSpan timeout, TimeProvider time)
        {
            _idle = idle;
            _timeout = timeout;
            _time = time;
            // The first wait begins right after construction, so the first check is one timeout away.
            _timer = time.CreateTimer(static state => ((IdleWatch)state!).Check(), this, timeout, Timeout.InfiniteTimeSpan);
        }

        public void StartWaiting() => Volatile.Write(ref _waitingSince, _time.GetTimestamp());

        public void StopWaiting() => Volatile.Write(ref _waitingSince, NotWaiting);

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
                var waited = since == NotWaiting ? TimeSpan.Zero : _time.GetElapsedTime(since);
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
