using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>The test's own subscription to a daemon's GET /event, to see what the daemon did (idle, deltas) and when.</summary>
public sealed class DaemonEventWatcher : IAsyncDisposable
{
    private readonly List<(string Type, string? SessionId, long At, string Data)> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<DaemonEventWatcher> StartAsync(Uri daemon)
    {
        var watcher = new DaemonEventWatcher();
        watcher._loop = Task.Run(() => watcher.RunAsync(new Uri(daemon, "event")));
        await Eventually.WaitAsync(watcher._connected.Task, "the daemon's /event stream connecting");
        return watcher;
    }

    public IReadOnlyList<(string Type, string? SessionId, long At, string Data)> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    /// <summary>Waits for an event matching <paramref name="predicate"/> (bounded by <see cref="Eventually.Bound"/>); returns it.</summary>
    public async Task<(string Type, string? SessionId, long At, string Data)> WaitForAsync(
        Func<(string Type, string? SessionId, long At, string Data), bool> predicate)
    {
        var timeout = Eventually.Bound;
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_events)
            {
                foreach (var item in _events)
                {
                    if (predicate(item))
                    {
                        return item;
                    }
                }
                changed = _changed.Task;
            }
            var left = timeout - Stopwatch.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("the daemon sent no matching event in time; saw: "
                    + string.Join(", ", Events.Select(e => e.Type).Distinct()));
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    private async Task RunAsync(Uri url)
    {
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            {
                var at = Stopwatch.GetTimestamp();
                string? type = null;
                string? session = null;
                try
                {
                    using var document = JsonDocument.Parse(item.Data);
                    var root = document.RootElement;
                    type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
                    if (root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                        && p.TryGetProperty("sessionID", out var s) && s.ValueKind == JsonValueKind.String)
                    {
                        session = s.GetString();
                    }
                }
                catch (JsonException)
                {
                    continue;
                }
                if (type == "server.connected")
                {
                    _connected.TrySetResult();
                }
                lock (_events)
                {
                    _events.Add((type ?? "", session, at, item.Data));
                    _changed.TrySetResult();
                    _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            _connected.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }
}
