using System.Collections.Concurrent;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Claude processes started ahead of need (no client tools, no history, the configured prompt placement) for the model
/// asked for last, so a new conversation does not wait for a process start. A process leaves the pool for one
/// conversation and never comes back; the pool then refills in the background while process slots are free.
/// </summary>
internal sealed class ClaudeWarmPool(int size, Func<string, ClaudeSession?> tryStart) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ClaudeSession> _ready = new();
    private readonly Lock _gate = new();
    private string? _model;
    private bool _disposed;

    public int Count => _ready.Count;

    /// <summary>A warm process for <paramref name="model"/>, or null.</summary>
    public ClaudeSession? TryTake(string model)
    {
        while (_ready.TryDequeue(out var session))
        {
            if (session.Model == model && session.IsAlive && session.IsFresh)
            {
                return session;
            }
            _ = session.DisposeAsync();
        }
        return null;
    }

    /// <summary>Tops the pool up for <paramref name="model"/> (the one asked for last); processes for another model are stopped.</summary>
    public void Refill(string model)
    {
        if (size <= 0)
        {
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _model = model;
        }
        _ = Task.Run(() =>
        {
            while (_ready.Count < size)
            {
                lock (_gate)
                {
                    if (_disposed || _model != model)
                    {
                        return;
                    }
                }
                if (tryStart(model) is not { } session)
                {
                    return; // no free process slot, or the binary cannot start: try again after the next request
                }
                _ready.Enqueue(session);
                bool disposed;
                lock (_gate)
                {
                    disposed = _disposed;
                }
                if (disposed)
                {
                    // Stopped meanwhile: nothing started for the pool may outlive it.
                    while (_ready.TryDequeue(out var late))
                    {
                        _ = late.DisposeAsync();
                    }
                    return;
                }
            }
        });
    }

    /// <summary>Stops one warm process to free its slot; false when the pool is empty.</summary>
    public bool EvictOne()
    {
        if (_ready.TryDequeue(out var session))
        {
            _ = session.DisposeAsync();
            return true;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        while (_ready.TryDequeue(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
