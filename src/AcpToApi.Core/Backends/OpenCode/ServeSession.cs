using System.Text.Json;
using System.Threading.Channels;
using AcpToApi.Backends.AgentSessions;
using AcpToApi.Backends.ClientTools;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// One daemon session the gateway created, with what belongs to it: its events (from the shared stream), its
/// translator (which outlives one response when the turn parks on client tools), and for a conversation with client
/// tools the gateway's MCP endpoint and the server name under which the daemon reaches it. <see cref="Items"/> merges
/// the session's events with the MCP calls the daemon makes, so one reader sees both in arrival order, also while no
/// request reads (the turn is parked). Disposing it hands it to the backend's clean-up: abort unless the turn
/// finished, delete, disconnect the MCP server, close the endpoint.
/// </summary>
internal sealed class ServeSession : IAgentSession
{
    private readonly Channel<object> _items = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ClientToolCall> _unmatched = [];
    private readonly Dictionary<string, ClientToolCall> _matched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);
    private readonly Func<ServeSession, Task> _cleanup;
    private int _disposed;

    public ServeSession(ClientToolEndpoint? tools, string? mcpServer, Func<ServeSession, Task> cleanup)
    {
        Tools = tools;
        McpServer = mcpServer;
        _cleanup = cleanup;
        if (tools is not null)
        {
            _ = PumpAsync(tools.Calls.ReadAllAsync());
        }
    }

    public string? Id { get; private set; }

    public ClientToolEndpoint? Tools { get; }

    /// <summary>The daemon's name for the gateway's MCP server of this conversation (null without client tools).</summary>
    public string? McpServer { get; }

    public ServeStreamTranslator? Translator { get; private set; }

    public ServeSubscription? Subscription { get; private set; }

    /// <summary>Daemon events (<see cref="ServeEvent"/>) and MCP calls (<see cref="ClientToolCall"/>), in arrival order.</summary>
    public ChannelReader<object> Items => _items.Reader;

    /// <summary>True once the daemon reported the turn finished: the session needs deleting, not aborting.</summary>
    public bool TurnFinished { get; set; }

    public bool IsAlive => Volatile.Read(ref _disposed) == 0 && !_items.Reader.Completion.IsCompleted;

    /// <summary>The daemon created the session: from now on clean-up deletes it, whatever happens next.</summary>
    public void Created(string id) => Id = id;

    /// <summary>Starts following the session's events.</summary>
    public void Follow(ServeSubscription subscription, ServeStreamTranslator translator)
    {
        Translator = translator;
        Subscription = subscription;
        _ = PumpAsync(subscription.ReadAllAsync(CancellationToken.None), subscription);
    }

    /// <summary>An MCP call arrived: it belongs to the running call of the same tool with the same arguments.</summary>
    public void Accept(ClientToolCall call)
    {
        _unmatched.Add(call);
        Match();
    }

    /// <summary>
    /// The call ids the turn is waiting on, when it can park: every client call the model made is running and its MCP
    /// call has arrived (none is still being written). Null while anything is still on its way.
    /// </summary>
    public IReadOnlyList<string>? ParkableCallIds()
    {
        if (Translator is null)
        {
            return null;
        }
        Match();
        var calls = Translator.ClientCalls.ToList();
        if (calls.Any(c => c.State == ServeClientCallState.Pending))
        {
            return null;
        }
        var waiting = calls.Where(c => c.State == ServeClientCallState.Running && !_delivered.Contains(c.CallId)).ToList();
        return waiting.Count > 0 && waiting.All(c => _matched.ContainsKey(c.CallId)) ? [.. waiting.Select(c => c.CallId)] : null;
    }

    /// <summary>Answers the MCP call of <paramref name="callId"/> with the client's result.</summary>
    public bool Deliver(string callId, ClientToolResult result)
    {
        if (!_matched.TryGetValue(callId, out var call))
        {
            return false;
        }
        _delivered.Add(callId);
        return call.Complete(result);
    }

    private void Match()
    {
        if (Translator is null || _unmatched.Count == 0)
        {
            return;
        }
        var running = Translator.ClientCalls.Where(c => c.State == ServeClientCallState.Running && !_matched.ContainsKey(c.CallId)).ToList();
        // The same tool with the same arguments first; then, should the daemon have reshaped the arguments, the same tool in order.
        foreach (var exact in new[] { true, false })
        {
            foreach (var call in running.Where(c => !_matched.ContainsKey(c.CallId)))
            {
                var index = _unmatched.FindIndex(m => m.ToolName == call.ClientName && (!exact || SameJson(m.ArgumentsJson, call.InputJson)));
                if (index >= 0)
                {
                    _matched[call.CallId] = _unmatched[index];
                    _unmatched.RemoveAt(index);
                }
            }
        }
    }

    private static bool SameJson(string a, string? b)
    {
        if (b is null)
        {
            return false;
        }
        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (JsonException)
        {
            return a == b;
        }
    }

    private async Task PumpAsync<T>(IAsyncEnumerable<T> source, IDisposable? owner = null)
        where T : class
    {
        try
        {
            await foreach (var item in source.ConfigureAwait(false))
            {
                _items.Writer.TryWrite(item);
            }
            if (owner is not null)
            {
                _items.Writer.TryComplete();
            }
        }
        catch (Exception e) when (e is ChatBackendException or ChannelClosedException or OperationCanceledException)
        {
            // The daemon's event stream dropped: whoever reads learns why.
            _items.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _items.Writer.TryComplete();
        await _cleanup(this).ConfigureAwait(false);
    }
}
