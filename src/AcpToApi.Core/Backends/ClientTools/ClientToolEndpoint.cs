using System.Threading.Channels;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClientTools;

/// <summary>
/// One conversation's MCP endpoint: the tools it lists, and the calls agents make to them, in arrival order. Disposing it
/// (the conversation ended, was abandoned or the gateway stops) cancels every call still open and stops taking new ones.
/// </summary>
internal sealed class ClientToolEndpoint : IAsyncDisposable
{
    private readonly Channel<ClientToolCall> _calls = Channel.CreateUnbounded<ClientToolCall>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ClientToolCall> _open = [];
    private readonly Lock _gate = new();
    private readonly Action<ClientToolEndpoint>? _closed;
    private bool _disposed;

    public ClientToolEndpoint(Uri url, IReadOnlyList<ToolDefinition> tools, Action<ClientToolEndpoint>? closed = null)
    {
        Url = url;
        Tools = tools;
        _closed = closed;
    }

    /// <summary>The Streamable HTTP URL an agent's MCP client connects to.</summary>
    public Uri Url { get; }

    public IReadOnlyList<ToolDefinition> Tools { get; }

    /// <summary>Calls as agents make them; completes when the endpoint is disposed.</summary>
    public ChannelReader<ClientToolCall> Calls => _calls.Reader;

    /// <summary>The client's tool offered to agents as <paramref name="agentName"/>.</summary>
    public ToolDefinition? Find(string agentName) => Tools.FirstOrDefault(t => ClientToolNames.ForAgent(t.Name) == agentName);

    /// <summary>Called by the MCP server for each <c>tools/call</c>; false when the endpoint is closed.</summary>
    public bool Accept(ClientToolCall call)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }
            _open.RemoveAll(c => c.IsAnswered);
            _open.Add(call);
        }
        return _calls.Writer.TryWrite(call);
    }

    public ValueTask DisposeAsync()
    {
        List<ClientToolCall> open;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }
            _disposed = true;
            open = [.. _open];
            _open.Clear();
        }
        _calls.Writer.TryComplete();
        foreach (var call in open)
        {
            call.Cancel();
        }
        _closed?.Invoke(this);
        return ValueTask.CompletedTask;
    }
}
