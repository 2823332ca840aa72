using System.Diagnostics;
using System.IO.Pipelines;
using AcpToApi.Protocols;
using AcpToApi.Streaming;

namespace AcpToApi.Hosting;

/// <summary>
/// Pulls the next backend event; while the backend stays silent on a started stream, sends the
/// protocol's keep-alive every interval so clients and proxies do not give up. One timer per
/// exchange at a time, reused across events, so fast streams pay almost nothing.
/// </summary>
internal sealed class KeepAlive(TimeSpan interval, CancellationToken cancellationToken)
{
    private Task? _tick;
    private long _lastWrite = Stopwatch.GetTimestamp();

    public void Wrote() => _lastWrite = Stopwatch.GetTimestamp();

    public async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<ChatEvent> events, IProtocolStreamWriter? writer, PipeWriter output)
    {
        var next = events.MoveNextAsync();
        if (next.IsCompleted || writer is null)
        {
            return await next;
        }
        var pending = next.AsTask();
        while (true)
        {
            _tick ??= Task.Delay(interval, cancellationToken);
            if (await Task.WhenAny(pending, _tick) == pending || _tick.IsCanceled)
            {
                // On client abort the backend sees the same token; wait for it so the enumerator is idle before disposal.
                return await pending;
            }
            _tick = null;
            if (Stopwatch.GetElapsedTime(_lastWrite) >= interval && writer.Write(new Heartbeat(), output))
            {
                Wrote();
                await output.FlushAsync(cancellationToken);
            }
        }
    }
}
