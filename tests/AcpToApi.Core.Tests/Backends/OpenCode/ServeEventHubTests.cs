using System.Net;
using AcpToApi.Backends;
using AcpToApi.Backends.OpenCode;

namespace AcpToApi.Tests.Backends.OpenCode;

/// <summary>The shared event stream, against a scripted <c>GET /event</c>: one connection, demultiplexed, reconnected after a drop.</summary>
public sealed class ServeEventHubTests
{
    private static readonly ServeApiOptions Options = new() { Prefix = "kilo", BinaryName = "kilo", BaseUrl = new Uri("http://127.0.0.1:4780") };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneConnectionServesEverySessionAndEachGetsOnlyItsOwnEvents()
    {
        var daemon = new ScriptedDaemon();
        await using var hub = new ServeEventHub(new ServeApiClient(new HttpClient(daemon), Options), Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        using var first = await hub.SubscribeAsync("ses_a", Ct);
        using var second = await hub.SubscribeAsync("ses_b", Ct);
        var stream = daemon.Streams.Single();
        stream.Send("message.part.delta", """{"sessionID":"ses_b","partID":"p","field":"text","delta":"for b"}""");
        stream.Write("""data: {"type":"sync","syncEvent":{"type":"message.updated.1","aggregateID":"ses_a"}}""" + "\n\n");
        stream.Send("server.heartbeat", "{}");
        stream.Send("session.idle", """{"sessionID":"ses_other"}""");
        stream.Send("message.part.delta", """{"sessionID":"ses_a","partID":"p","field":"text","delta":"for a"}""");
        stream.Send("session.idle", """{"sessionID":"ses_a"}""");
        stream.Send("session.idle", """{"sessionID":"ses_b"}""");

        var forA = await Take(first, 2);
        var forB = await Take(second, 2);

        Assert.Equal(1, daemon.EventConnections);
        Assert.Equal(["message.part.delta", "session.idle"], forA.Select(e => e.Type));
        Assert.All(forA, e => Assert.Equal("ses_a", e.SessionId));
        Assert.Equal("for a", forA[0].Properties.GetProperty("delta").GetString());
        Assert.All(forB, e => Assert.Equal("ses_b", e.SessionId));
    }

    [Fact]
    public async Task ADroppedStreamFailsTheRequestsInFlightAndTheNextOneReconnects()
    {
        var daemon = new ScriptedDaemon();
        await using var hub = new ServeEventHub(new ServeApiClient(new HttpClient(daemon), Options), Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var inFlight = await hub.SubscribeAsync("ses_a", Ct);

        daemon.Streams.Single().End();
        var error = await Assert.ThrowsAsync<ChatBackendException>(() => Take(inFlight, 1));
        using var next = await hub.SubscribeAsync("ses_b", Ct);
        daemon.Streams.Last().Send("session.idle", """{"sessionID":"ses_b"}""");

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("event stream at http://127.0.0.1:4780/event dropped", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, daemon.EventConnections);
        Assert.Equal("session.idle", (await Take(next, 1)).Single().Type);
    }

    [Fact]
    public async Task SubAgentSessionsAreDeliveredToTheirParent()
    {
        var daemon = new ScriptedDaemon();
        await using var hub = new ServeEventHub(new ServeApiClient(new HttpClient(daemon), Options), Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var parent = await hub.SubscribeAsync("ses_parent", Ct);

        var stream = daemon.Streams.Single();
        stream.Send("session.created", """{"sessionID":"ses_child","info":{"id":"ses_child","parentID":"ses_parent"}}""");
        stream.Send("permission.asked", """{"id":"per_1","sessionID":"ses_child","permission":"bash"}""");

        var events = await Take(parent, 2);

        Assert.Equal(["session.created", "permission.asked"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("ses_child", e.SessionId));
    }

    [Fact]
    public async Task UnreachableDaemonIsUnavailable()
    {
        var daemon = new ScriptedDaemon { Refuse = true };
        await using var hub = new ServeEventHub(new ServeApiClient(new HttpClient(daemon), Options), Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => hub.SubscribeAsync("ses_a", Ct));

        Assert.Equal(ChatErrorKind.Unavailable, error.Kind);
        Assert.Contains("http://127.0.0.1:4780", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<ServeEvent>> Take(ServeSubscription subscription, int count)
    {
        var taken = new List<ServeEvent>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a generous bound for an event, not a speed requirement
        await foreach (var serveEvent in subscription.ReadAllAsync(timeout.Token))
        {
            taken.Add(serveEvent);
            if (taken.Count == count)
            {
                break;
            }
        }
        return taken;
    }

    /// <summary>Answers GET /event with a stream the test drives; the first frame is server.connected, as the real daemons send.</summary>
    [Fact]
    public async Task AClientThatLeavesWhileTheStreamOpensTakesTheOpeningRequestWithIt()
    {
        var daemon = new SilentDaemon();
        await using var hub = new ServeEventHub(new ServeApiClient(new HttpClient(daemon), Options), Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var subscribing = hub.SubscribeAsync("ses_a", leaving.Token);
        await daemon.Asked.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribing);
        // The GET /event it started is cancelled too, not left to open a connection nobody reads or closes.
        await daemon.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    /// <summary>A daemon that accepts GET /event and never answers it; it notes when the request is cancelled.</summary>
    private sealed class SilentDaemon : HttpMessageHandler
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Cancelled.TrySetResult();
            }
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class ScriptedDaemon : HttpMessageHandler
    {
        private readonly List<PushStream> _streams = [];

        public bool Refuse { get; init; }

        public int EventConnections
        {
            get
            {
                lock (_streams)
                {
                    return _streams.Count;
                }
            }
        }

        public IReadOnlyList<PushStream> Streams
        {
            get
            {
                lock (_streams)
                {
                    return _streams.ToList();
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Refuse)
            {
                throw new HttpRequestException("Connection refused (127.0.0.1:4780)");
            }
            if (request.RequestUri?.AbsolutePath != "/event")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }
            var stream = new PushStream();
            stream.Send("server.connected", "{}");
            lock (_streams)
            {
                _streams.Add(stream);
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) });
        }
    }
}
