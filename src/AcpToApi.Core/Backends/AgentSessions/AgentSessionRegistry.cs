using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.AgentSessions;

/// <summary>
/// The agents kept between requests, so a conversation continues instead of starting over. An agent is kept either
/// <b>parked</b> (waiting for the client's results to the tool calls it made; found by those call ids) or <b>idle</b>
/// (its turn finished; found by the conversation it holds). Each has a deadline on the app's clock; at most
/// <c>capacity</c> are kept (the longest-unused idle one goes first). Taking an agent removes it: one request at a time
/// owns it. Correctness never depends on this state: a request that finds nothing replays the history.
/// </summary>
internal sealed class AgentSessionRegistry<TSession>(string backend, int capacity, TimeProvider time, ILogger logger) : IAsyncDisposable
    where TSession : class, IAgentSession
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _entries = new();
    private bool _disposed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="session"/> waiting for the results of <paramref name="callIds"/>.</summary>
    public void Park(TSession session, IReadOnlyCollection<string> callIds, TimeSpan timeout) =>
        Keep(new Entry(session, null, [.. callIds]), timeout, "parked");

    /// <summary>Keeps <paramref name="session"/> for the conversation's next turn (<paramref name="conversationKey"/>).</summary>
    public void KeepIdle(TSession session, string conversationKey, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            Stop(session, "no idle agents are kept");
            return;
        }
        Keep(new Entry(session, conversationKey, []), timeout, "idle");
    }

    /// <summary>The agent parked on exactly these call ids, or null.</summary>
    public TSession? TakeParked(IReadOnlyCollection<string> callIds) =>
        callIds.Count == 0 ? null : Take(e => e.CallIds.Count == callIds.Count && e.CallIds.SetEquals(callIds));

    /// <summary>The idle agent holding this conversation, or null.</summary>
    public TSession? TakeIdle(string conversationKey) => Take(e => e.ConversationKey == conversationKey);

    /// <summary>Stops the longest-unused idle agent, to free a process slot; false when none is idle.</summary>
    public bool EvictOneIdle()
    {
        Entry? victim;
        lock (_gate)
        {
            victim = _entries.FirstOrDefault(e => e.ConversationKey is not null);
            if (victim is null)
            {
                return false;
            }
            Remove(victim);
        }
        Stop(victim.Session, "its process slot was needed");
        return true;
    }

    private void Keep(Entry entry, TimeSpan timeout, string state)
    {
        Entry? evicted = null;
        lock (_gate)
        {
            if (_disposed)
            {
                evicted = entry;
            }
            else
            {
                entry.Node = _entries.AddLast(entry);
                entry.Expire = () => Expire(entry);
                entry.Timer = time.CreateTimer(static state => ((Entry)state!).Expire(), entry, timeout, Timeout.InfiniteTimeSpan);
                if (_entries.Count > capacity)
                {
                    evicted = _entries.FirstOrDefault(e => e.ConversationKey is not null && e != entry) ?? _entries.First!.Value;
                    Remove(evicted);
                }
            }
        }
        AgentSessionLog.Kept(logger, backend, state, entry.CallIds.Count);
        if (evicted is not null)
        {
            Stop(evicted.Session, evicted == entry ? "the registry is closed" : $"more than {capacity} agents were kept");
        }
    }

    private TSession? Take(Func<Entry, bool> match)
    {
        List<Entry> dead = [];
        Entry? found = null;
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if (!entry.Session.IsAlive)
                {
                    dead.Add(entry);
                }
                else if (found is null && match(entry))
                {
                    found = entry;
                }
            }
            foreach (var entry in dead)
            {
                Remove(entry);
            }
            if (found is not null)
            {
                Remove(found);
            }
        }
        foreach (var entry in dead)
        {
            Stop(entry.Session, "its agent had exited");
        }
        return found?.Session;
    }

    private void Expire(Entry entry)
    {
        lock (_gate)
        {
            if (entry.Node?.List is null)
            {
                return; // taken or removed meanwhile
            }
            Remove(entry);
        }
        Stop(entry.Session, entry.ConversationKey is null ? "the client's tool results did not arrive in time" : "it stayed idle too long");
    }

    private void Remove(Entry entry)
    {
        if (entry.Node?.List is not null)
        {
            _entries.Remove(entry.Node);
        }
        entry.Timer?.Dispose();
    }

    private void Stop(TSession session, string why)
    {
        AgentSessionLog.Stopped(logger, backend, why);
        _ = StopAsync(session);
    }

    private static async Task StopAsync(TSession session)
    {
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Entry> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _entries];
            foreach (var entry in all)
            {
                Remove(entry);
            }
        }
        await Task.WhenAll(all.Select(e => StopAsync(e.Session))).ConfigureAwait(false);
    }

    private sealed class Entry(TSession session, string? conversationKey, HashSet<string> callIds)
    {
        public TSession Session { get; } = session;

        public string? ConversationKey { get; } = conversationKey;

        public HashSet<string> CallIds { get; } = callIds;

        public LinkedListNode<Entry>? Node { get; set; }

        public ITimer? Timer { get; set; }

        public Action Expire { get; set; } = () => { };
    }
}

internal static partial class AgentSessionLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "{Backend}: agent kept {State} ({CallCount} pending tool calls)")]
    public static partial void Kept(ILogger logger, string backend, string state, int callCount);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "{Backend}: agent stopped because {Why}")]
    public static partial void Stopped(ILogger logger, string backend, string why);
}
