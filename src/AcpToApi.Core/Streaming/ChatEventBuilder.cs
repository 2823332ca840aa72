using AcpToApi.Backends;

namespace AcpToApi.Streaming;

/// <summary>
/// The one way to produce <see cref="ChatEvent"/>s: translators say what arrived (text, reasoning, a tool call, its
/// arguments, …) and the builder opens, appends to and closes blocks, so the contract holds by construction:
/// <see cref="ResponseStarted"/> first, one block open at a time, indexes contiguous from 0, every delta for the open
/// block and of its kind, <see cref="ResponseCompleted"/> last with no block open.
/// </summary>
/// <remarks>
/// Blocks are identified by an optional key (an upstream block index, a part id, a tool-call index): content with a
/// different key opens a new block. Tool calls announced while another is open (OpenAI upstreams may name several
/// calls before streaming their arguments) wait, with their fragments, until the open one is done, so each call's
/// arguments stay with that call. Events are collected until <see cref="Drain"/>.
/// </remarks>
internal sealed class ChatEventBuilder
{
    private readonly List<PendingCall> _pending = [];
    private readonly HashSet<object> _closedCalls = [];
    private List<ChatEvent> _events = [];
    private List<ChatEvent> _spare = [];
    private int _nextIndex;
    private OpenBlock? _open;

    public bool Started { get; private set; }

    public bool Completed { get; private set; }

    /// <summary>Tool calls opened or announced so far.</summary>
    public int ToolCallCount { get; private set; }

    /// <summary>True while nothing but the start (and heartbeats or usage) has been produced.</summary>
    public bool HasContent => _nextIndex > 0 || _pending.Count > 0;

    /// <summary>
    /// The events produced since the last call. The list stays valid until the next call; the builder reuses it, so
    /// a stream of small frames allocates no list per frame.
    /// </summary>
    public List<ChatEvent> Drain()
    {
        var ready = _events;
        _events = _spare;
        _spare = ready;
        _events.Clear();
        return ready;
    }

    /// <summary>Starts the response with the upstream's id and model; later calls are ignored.</summary>
    public void Start(string? responseId = null, string? model = null)
    {
        ThrowIfCompleted();
        if (!Started)
        {
            Started = true;
            _events.Add(new ResponseStarted(responseId, model));
        }
    }

    public void Text(string text, object? key = null)
    {
        if (text.Length > 0)
        {
            _events.Add(new TextDelta(Ensure(BlockKind.Text, key), text));
        }
    }

    public void Reasoning(string text, object? key = null)
    {
        if (text.Length > 0)
        {
            _events.Add(new ReasoningDelta(Ensure(BlockKind.Reasoning, key), text));
        }
    }

    /// <summary>The signature of the reasoning block with <paramref name="key"/> (opened if it is not the open one).</summary>
    public void Signature(string signature, object? key = null)
    {
        if (signature.Length > 0)
        {
            _events.Add(new SignatureDelta(Ensure(BlockKind.Reasoning, key), signature));
        }
    }

    /// <summary>
    /// A tool call, identified by <paramref name="key"/> for its later fragments (the call id when null). It opens at
    /// once unless another tool call is open, in which case it waits for its first fragment or the end of that call.
    /// </summary>
    public void ToolCall(string callId, string name, object? key = null)
    {
        key ??= callId;
        if (_open is { Kind: BlockKind.ToolCall } open && !Equals(open.Key, key))
        {
            ThrowIfCompleted();
            ToolCallCount++;
            _pending.Add(new PendingCall(key, callId, name, []));
            return;
        }
        if (_open is { Kind: BlockKind.ToolCall } same && Equals(same.Key, key))
        {
            return; // announced again
        }
        ToolCallCount++;
        CloseAll();
        OpenToolCall(key, callId, name);
    }

    /// <summary>A fragment of the arguments of the tool call with <paramref name="key"/> (the open call when null).</summary>
    public void ToolArguments(string fragment, object? key = null)
    {
        if (fragment.Length == 0)
        {
            return;
        }
        if (_open is { Kind: BlockKind.ToolCall } open && (key is null || Equals(open.Key, key)))
        {
            _events.Add(new ToolArgumentsDelta(open.Index, fragment));
            return;
        }
        var waiting = key is null ? -1 : _pending.FindIndex(p => Equals(p.Key, key));
        if (waiting >= 0)
        {
            var call = _pending[waiting];
            _pending.RemoveAt(waiting);
            CloseOpen();
            OpenToolCall(call.Key, call.CallId, call.Name);
            foreach (var early in call.Fragments)
            {
                _events.Add(new ToolArgumentsDelta(_open!.Index, early));
            }
            _events.Add(new ToolArgumentsDelta(_open!.Index, fragment));
            return;
        }
        if (key is not null && _closedCalls.Contains(key))
        {
            // The call's block was already closed to let another through; appending now would put these arguments
            // into the wrong call. Better an honest failure than a corrupted call.
            throw new ChatBackendException(ChatErrorKind.UpstreamError,
                "the upstream interleaved the arguments of several tool calls after finishing one of them; the calls cannot be delivered intact.");
        }
        throw new InvalidOperationException($"tool arguments for a call that was never announced (key {key ?? "none"})");
    }

    /// <summary>The output of a tool the agent ran itself: a whole block of its own.</summary>
    public void ToolResult(string? callId, string? toolName, string text)
    {
        CloseAll();
        EnsureStarted();
        var index = _nextIndex++;
        _events.Add(new BlockStarted(index, BlockKind.ToolResult, callId, toolName));
        if (text.Length > 0)
        {
            _events.Add(new TextDelta(index, text));
        }
        _events.Add(new BlockStopped(index));
    }

    /// <summary>Closes the block with <paramref name="key"/> if it is open (a waiting tool call is delivered and closed).</summary>
    public void Close(object key)
    {
        if (_open is { } open && Equals(open.Key, key))
        {
            CloseOpen();
            if (open.Kind == BlockKind.ToolCall)
            {
                OpenNextWaiting();
            }
            return;
        }
        var waiting = _pending.FindIndex(p => Equals(p.Key, key));
        if (waiting >= 0)
        {
            var call = _pending[waiting];
            _pending.RemoveAt(waiting);
            CloseOpen();
            OpenToolCall(call.Key, call.CallId, call.Name);
            foreach (var fragment in call.Fragments)
            {
                _events.Add(new ToolArgumentsDelta(_open!.Index, fragment));
            }
            CloseOpen();
        }
    }

    /// <summary>Closes the open block and delivers every waiting tool call.</summary>
    public void CloseAll()
    {
        CloseOpen();
        while (_pending.Count > 0)
        {
            OpenNextWaiting();
            CloseOpen();
        }
    }

    public void Usage(ChatUsage usage)
    {
        EnsureStarted();
        _events.Add(new UsageReported(usage));
    }

    /// <summary>A keep-alive or progress note; allowed before the start, carries no content.</summary>
    public void Heartbeat(string? note = null)
    {
        ThrowIfCompleted();
        _events.Add(new Heartbeat(note));
    }

    public void Complete(StopReason stopReason, string? stopSequence = null)
    {
        CloseAll();
        EnsureStarted();
        _events.Add(new ResponseCompleted(stopReason, stopSequence));
        Completed = true;
    }

    private int Ensure(BlockKind kind, object? key)
    {
        if (_open is { } open && open.Kind == kind && Equals(open.Key, key))
        {
            return open.Index;
        }
        CloseAll();
        EnsureStarted();
        _open = new OpenBlock(_nextIndex++, kind, key);
        _events.Add(new BlockStarted(_open.Index, kind));
        return _open.Index;
    }

    private void OpenToolCall(object key, string callId, string name)
    {
        EnsureStarted();
        _open = new OpenBlock(_nextIndex++, BlockKind.ToolCall, key);
        _events.Add(new BlockStarted(_open.Index, BlockKind.ToolCall, callId, name));
    }

    private void OpenNextWaiting()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var call = _pending[0];
        _pending.RemoveAt(0);
        OpenToolCall(call.Key, call.CallId, call.Name);
        foreach (var fragment in call.Fragments)
        {
            _events.Add(new ToolArgumentsDelta(_open!.Index, fragment));
        }
    }

    private void CloseOpen()
    {
        if (_open is { } open)
        {
            _events.Add(new BlockStopped(open.Index));
            if (open.Kind == BlockKind.ToolCall && open.Key is not null)
            {
                _closedCalls.Add(open.Key);
            }
            _open = null;
        }
    }

    private void EnsureStarted()
    {
        ThrowIfCompleted();
        if (!Started)
        {
            Started = true;
            _events.Add(new ResponseStarted());
        }
    }

    private void ThrowIfCompleted()
    {
        if (Completed)
        {
            throw new InvalidOperationException("the response is already complete");
        }
    }

    private sealed record OpenBlock(int Index, BlockKind Kind, object? Key);

    private sealed record PendingCall(object Key, string CallId, string Name, List<string> Fragments);
}
