using System.IO.Pipelines;
using AcpToApi.Protocols;
using AcpToApi.Streaming;

namespace AcpToApi.Hosting;

/// <summary>
/// Sends the protocol's keep-alive (SSE comment, Anthropic ping) when a started stream has been silent
/// for an interval. One timer per exchange; frames and keep-alives take turns through a gate, so the
/// per-frame cost is an uncontended semaphore rather than a timer or a task. Time is the app's clock.
/// </summary>
internal sealed class KeepAlive(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ITimer? _timer;
    private IProtocolStreamWriter? _writer;
    private PipeWriter? _output;
    private long _lastWrite = time.GetTimestamp();
    private bool _disposed;

    public void Start(IProtocolStreamWriter writer, PipeWriter output)
    {
        _writer = writer;
        _output = output;
        _timer = time.CreateTimer(static state => _ = ((KeepAlive)state!).TickAsync(), this, interval, interval);
    }

    /// <summary>Takes the right to write; usually completes at once.</summary>
    public ValueTask EnterAsync() => _gate.Wait(0) ? ValueTask.CompletedTask : new ValueTask(_gate.WaitAsync(cancellationToken));

    public void Exit(bool wrote)
    {
        if (wrote)
        {
            _lastWrite = time.GetTimestamp();
        }
        _gate.Release();
    }

    private async Task TickAsync()
    {
        if (time.GetElapsedTime(Volatile.Read(ref _lastWrite)) < interval || !_gate.Wait(0))
        {
            return;
        }
        try
        {
            if (!_disposed && _writer!.Write(new Heartbeat(), _output!))
            {
                _lastWrite = time.GetTimestamp();
                await _output!.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client left or the response ended; the exchange's own loop reports it.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the timer and waits out a keep-alive in flight, so nothing is written after the exchange.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
        await _gate.WaitAsync(CancellationToken.None);
        _disposed = true;
        _gate.Release();
    }
}
