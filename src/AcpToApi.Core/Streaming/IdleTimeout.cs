using System.Runtime.CompilerServices;
using AcpToApi.Backends;

namespace AcpToApi.Streaming;

/// <summary>
/// Bounds the silence between two items of a stream, not its total length: the clock restarts on
/// every item. When it expires the producer is cancelled and a 504-kind error is raised. A transport
/// failure while reading becomes a 502-kind error.
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
        var enumerator = produce(idle.Token).GetAsyncEnumerator(idle.Token);
        try
        {
            while (true)
            {
                bool hasNext;
                idle.CancelAfter(idleTimeout);
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
                if (!hasNext)
                {
                    break;
                }
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
