using System.Threading.Channels;

namespace AcpToApi.Backends.OpenCode;

/// <summary>The events of one session, demultiplexed from the daemon's shared event stream.</summary>
internal sealed class ServeSubscription : IDisposable
{
    /// <summary>Generous: a client that falls this far behind loses its request rather than stalling every other session.</summary>
    public const int Capacity = 8192;

    private readonly Channel<ServeEvent> _events = Channel.CreateBounded<ServeEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Action<ServeSubscription> _unsubscribe;

    internal ServeSubscription(string sessionId, Action<ServeSubscription> unsubscribe)
    {
        SessionId = sessionId;
        _unsubscribe = unsubscribe;
    }

    public string SessionId { get; }

    public IAsyncEnumerable<ServeEvent> ReadAllAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Called by the hub's reader; never blocks it.</summary>
    internal void Post(ServeEvent serveEvent)
    {
        if (!_events.Writer.TryWrite(serveEvent))
        {
            Fail(new ChatBackendException(ChatErrorKind.UpstreamError,
                $"the client fell more than {Capacity} daemon events behind; the request was dropped so other sessions keep flowing."));
        }
    }

    internal void Fail(Exception error) => _events.Writer.TryComplete(error);

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _unsubscribe(this);
    }
}
