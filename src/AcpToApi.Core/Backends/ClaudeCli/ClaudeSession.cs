using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AcpToApi.Backends.AgentSessions;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Processes;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// One conversation's Claude Code process (stream-json in and out, kept alive between turns): its private working
/// directory, its MCP endpoint for the client's tools, and a pump that reads its stdout into a channel, so lines are
/// kept while no request is reading (the agent is parked or idle between turns). Tool calls the agent makes arrive on
/// the endpoint and wait, by the model's call id, for the client's result. Disposing it kills the process tree,
/// answers open tool calls as errors, deletes the directory and any history file, and frees its process slot.
/// </summary>
internal sealed class ClaudeSession : IAgentSession
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<string, ClientToolCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientToolResult> _earlyResults = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clientCallIds = new(StringComparer.Ordinal);
    private readonly Action _releaseSlot;
    private readonly Task _stdoutPump;
    private readonly Task _callPump;
    private readonly List<string> _cleanupPaths;
    private int _disposed;

    public ClaudeSession(ChildProcess process, ClaudeSandbox sandbox, ClientToolEndpoint? tools, string model, IReadOnlyList<string> cleanupPaths, Action releaseSlot)
    {
        Process = process;
        Sandbox = sandbox;
        Tools = tools;
        Model = model;
        _cleanupPaths = [.. cleanupPaths];
        _releaseSlot = releaseSlot;
        _stdoutPump = PumpStdoutAsync();
        _callPump = tools is null ? Task.CompletedTask : PumpCallsAsync(tools);
    }

    public ChildProcess Process { get; }

    public ClaudeSandbox Sandbox { get; }

    public ClientToolEndpoint? Tools { get; }

    /// <summary>The model alias the process was started with.</summary>
    public string Model { get; }

    /// <summary>True until the first user line was sent: a warm process nobody has spoken to yet.</summary>
    public bool IsFresh { get; private set; } = true;

    public bool IsAlive => Volatile.Read(ref _disposed) == 0 && !Process.HasExited;

    /// <summary>Ids of the client tool calls the model made in this conversation (their results are the client's business).</summary>
    public bool IsClientCall(string toolUseId)
    {
        lock (_clientCallIds)
        {
            return _clientCallIds.Contains(toolUseId);
        }
    }

    public void RememberClientCall(string toolUseId)
    {
        lock (_clientCallIds)
        {
            _clientCallIds.Add(toolUseId);
        }
    }

    /// <summary>Usage already reported to clients during the current turn (a turn that parked spans several responses).</summary>
    public Streaming.ChatUsage? TurnUsageReported { get; set; }

    /// <summary>Writes one stream-json user line: the next turn. Never while a turn is running (the CLI would fold it in).</summary>
    public async Task SendAsync(string userLine, CancellationToken cancellationToken)
    {
        IsFresh = false;
        TurnUsageReported = null;
        if (!await Process.WriteLineAsync(userLine, cancellationToken).ConfigureAwait(false))
        {
            throw ClaudeErrorMapper.ProcessFailed(await Process.WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false),
                await Process.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false));
        }
    }

    /// <summary>stdout lines as they arrive (including those that arrived while nobody read); ends when the process does.</summary>
    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                yield return line;
            }
        }
    }

    /// <summary>Answers the agent's call <paramref name="toolUseId"/>, now or as soon as its MCP call arrives.</summary>
    public void Deliver(string toolUseId, ClientToolResult result)
    {
        if (_calls.TryRemove(toolUseId, out var call))
        {
            call.Complete(result);
            return;
        }
        _earlyResults[toolUseId] = result;
        // The call may have arrived between the two looks.
        if (_calls.TryRemove(toolUseId, out call) && _earlyResults.TryRemove(toolUseId, out var early))
        {
            call.Complete(early);
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            await foreach (var line in Process.ReadLinesAsync(CancellationToken.None).ConfigureAwait(false))
            {
                _lines.Writer.TryWrite(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was killed under the reader.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task PumpCallsAsync(ClientToolEndpoint tools)
    {
        try
        {
            await foreach (var call in tools.Calls.ReadAllAsync().ConfigureAwait(false))
            {
                // Claude Code names the tool_use id of every MCP call; without it the call cannot be matched to what the client saw.
                var id = call.CallId;
                if (id is null)
                {
                    call.Complete(new ClientToolResult("acptoapi could not match this call to the conversation (no tool_use id).", IsError: true));
                    continue;
                }
                if (_earlyResults.TryRemove(id, out var result))
                {
                    call.Complete(result);
                    continue;
                }
                _calls[id] = call;
                if (_earlyResults.TryRemove(id, out result) && _calls.TryRemove(id, out var again))
                {
                    again.Complete(result);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The endpoint closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await Process.DisposeAsync().ConfigureAwait(false);
            if (Tools is not null)
            {
                await Tools.DisposeAsync().ConfigureAwait(false);
            }
            await Task.WhenAll(_stdoutPump, _callPump).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A pipe held open by a grandchild; the tree was killed.
        }
        finally
        {
            foreach (var path in _cleanupPaths)
            {
                TryDelete(path);
            }
            Sandbox.Dispose();
            _releaseSlot();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
