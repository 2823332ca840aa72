using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// One <c>GET /event</c> connection per daemon, shared by every request and demultiplexed by
/// <c>properties.sessionID</c>. Connected lazily on the first subscription, reconnected on the next one after a drop
/// (a drop fails the requests in flight: their events may be lost). Unknown events, heartbeats and kilo's
/// property-less <c>sync</c> events are skipped.
/// </summary>
internal sealed class ServeEventHub(ServeApiClient client, ServeApiOptions options, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ServeSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _connected;
    private Task _readLoop = Task.CompletedTask;
    private CancellationTokenSource? _connection;

    public bool IsConnected => _connected;

    /// <summary>Registers for a session's events and returns once the shared stream is live, so nothing sent after this is missed.</summary>
    public async Task<ServeSubscription> SubscribeAsync(string sessionId, CancellationToken cancellationToken)
    {
        var subscription = new ServeSubscription(sessionId, Unsubscribe);
        _subscriptions[sessionId] = subscription;
        try
        {
            await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    public async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connected)
        {
            return;
        }
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connected)
            {
                return;
            }
            // The previous connection's reader has ended (it never throws); wait for its clean-up to finish.
            _connection?.Cancel();
            await _readLoop.ConfigureAwait(false);
            _connection?.Dispose();
            _connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var connection = _connection.Token;
            HttpResponseMessage response;
            // The caller's token cancels the opening request itself (not just the wait for it), so a client that
            // leaves meanwhile leaves no half-open GET /event behind; once headers are in, only the connection's token counts.
            using (var opening = CancellationTokenSource.CreateLinkedTokenSource(connection, cancellationToken))
            {
                response = await client.OpenEventStreamAsync(opening.Token).ConfigureAwait(false);
            }
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _readLoop = Task.Run(() => ReadLoopAsync(response, ready, connection), CancellationToken.None);
            try
            {
                await ready.Task.WaitAsync(ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _connection.CancelAsync().ConfigureAwait(false);
                throw new ChatBackendException(ChatErrorKind.Unavailable,
                    $"{options.DisplayName} at {options.BaseUrl} opened GET /event but sent no server.connected within {ConnectTimeout.TotalSeconds:0} s.");
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task ReadLoopAsync(HttpResponseMessage response, TaskCompletionSource ready, CancellationToken connection)
    {
        var reason = "the daemon closed it";
        try
        {
            using (response)
            {
                await using var body = await response.Content.ReadAsStreamAsync(connection).ConfigureAwait(false);
                var parser = SseParser.Create(body, static (_, data) => ServeEvent.Parse(data));
                await foreach (var item in parser.EnumerateAsync(connection).ConfigureAwait(false))
                {
                    if (item.Data is not { } serveEvent)
                    {
                        continue;
                    }
                    if (serveEvent.Type == "server.connected")
                    {
                        _connected = true;
                        ServeLog.EventStreamConnected(logger, options.DisplayName);
                        ready.TrySetResult();
                    }
                    else if (serveEvent.SessionId is { } sessionId)
                    {
                        if (serveEvent.Type == "session.created")
                        {
                            AdoptChildSession(serveEvent);
                        }
                        if (_subscriptions.TryGetValue(sessionId, out var subscription))
                        {
                            subscription.Post(serveEvent);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
            reason = _stopping.IsCancellationRequested ? "the gateway is stopping" : "it sent no server.connected";
        }
        catch (Exception e)
        {
            // Whatever broke the stream, the reader ends cleanly so the next request can reconnect.
            reason = e.Message;
        }
        finally
        {
            _connected = false;
            if (!_stopping.IsCancellationRequested)
            {
                ServeLog.EventStreamDropped(logger, options.DisplayName, reason, _subscriptions.Count);
            }
            var error = new ChatBackendException(ChatErrorKind.UpstreamError,
                $"{options.DisplayName}'s event stream at {options.BaseUrl}event dropped ({reason}); the request cannot be completed.");
            ready.TrySetException(error);
            foreach (var subscription in _subscriptions.Values)
            {
                subscription.Fail(error);
            }
        }
    }

    /// <summary>Removes the subscription and any child sessions adopted into it.</summary>
    private void Unsubscribe(ServeSubscription subscription)
    {
        foreach (var pair in _subscriptions)
        {
            if (ReferenceEquals(pair.Value, subscription))
            {
                _subscriptions.TryRemove(pair);
            }
        }
    }

    /// <summary>A sub-agent's session (its <c>parentID</c> is subscribed) delivers to the parent's subscription, so its permission requests get answered.</summary>
    private void AdoptChildSession(ServeEvent created)
    {
        if (created.Properties.TryGetProperty("info", out var info) && info.ValueKind == System.Text.Json.JsonValueKind.Object
            && info.TryGetProperty("parentID", out var parent) && parent.ValueKind == System.Text.Json.JsonValueKind.String
            && parent.GetString() is { } parentId && _subscriptions.TryGetValue(parentId, out var subscription))
        {
            _subscriptions.TryAdd(created.SessionId!, subscription);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChatBackendException)
        {
            // Stopping.
        }
        _connection?.Dispose();
        _stopping.Dispose();
        _connectLock.Dispose();
    }
}
