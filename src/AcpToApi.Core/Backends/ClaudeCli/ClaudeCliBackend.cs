using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AcpToApi.Backends.AgentSessions;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;
using AcpToApi.Processes;
using AcpToApi.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// <c>claude/&lt;model&gt;</c>: the Claude Code CLI, sandboxed (private temporary directory, none of its own tools, no MCP
/// servers but the gateway's, no settings, reduced environment, prompts on stdin), one process per conversation:
/// <list type="bullet">
/// <item>a client's tools reach the model through the gateway's MCP server; when the model calls them the response
/// ends with those calls and the process waits, parked, for the client's results (<see cref="AgentOptions.ToolParkTimeout"/>);</item>
/// <item>after a turn the process is kept idle for the conversation's next turn, which then arrives as a real turn;</item>
/// <item>a request that finds no process for its conversation starts one with the earlier turns as a session file
/// (real turns), or as a transcript when it continues a tool call;</item>
/// <item>a warm pool spares new conversations the process start.</item>
/// </list>
/// At most <see cref="ClaudeCliOptions.ClaudeMaxConcurrency"/> processes live at once (idle and warm ones make room).
/// A client that leaves mid-turn gets its process killed; disposing the backend (shutdown) kills them all.
/// </summary>
internal sealed class ClaudeCliBackend : IChatBackend, IBackendProbe, IAsyncDisposable
{
    private const string UpstreamName = "Claude Code CLI";

    private readonly ClaudeCliOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<ClaudeSession, byte> _running = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<string?> _resolved;
    private readonly Lazy<Task<BackendStatus>> _version;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ClaudeProcessStarter _starter;
    private readonly AgentSessionRegistry<ClaudeSession> _sessions;
    private readonly ClaudeWarmPool _pool;
    private int _slotWaiters;

    public ClaudeCliBackend(ClaudeCliOptions options, ILoggerFactory? loggerFactory = null, IClientToolHost? toolHost = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClaudeMaxConcurrency, 1);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClaudeCliBackend>();
        _time = time ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.ClaudeMaxConcurrency, options.ClaudeMaxConcurrency);
        _resolved = new(() => ExecutableLookup.Find(options.ClaudeBin, options.Environment.GetValueOrDefault("PATH") ?? ""));
        _version = new(ProbeVersionAsync);
        _starter = new ClaudeProcessStarter(options, toolHost, _logger);
        _sessions = new AgentSessionRegistry<ClaudeSession>("claude", options.AgentSessionsMax, _time, _logger);
        _pool = new ClaudeWarmPool(options.ClaudePoolSize, StartWarm);
    }

    public string Target => _resolved.Value ?? $"{_options.ClaudeBin} (not found)";

    public bool IsConfigured => _resolved.Value is not null;

    /// <summary>Runs <c>claude --version</c> once and caches the answer: cheap, never a paid call.</summary>
    public Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken) => _version.Value.WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var status = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        return status.Reachable ? ClaudeModelName.Aliases : [];
    }

    public async IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = ClaudeModelName.Validate(request.Model);
        var tools = request.ToolChoice?.Mode == ToolChoiceMode.None ? [] : request.Tools;
        ClaudeToolNames.Validate(tools);
        var conversation = new ClaudeConversation(request, model, tools, _options.ClaudePromptPlacement);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);

        var (session, firstLine) = await OpenAsync(conversation, linked.Token).ConfigureAwait(false);
        var kept = false;
        _running[session] = 0;
        // Kill at once when the client leaves, even while a read is pending; disposal then reaps it.
        await using var killOnCancel = linked.Token.UnsafeRegister(static state => ((ClaudeSession)state!).Process.Kill(), session);
        try
        {
            if (firstLine is not null)
            {
                await session.SendAsync(firstLine, linked.Token).ConfigureAwait(false);
            }
            var output = new ChatEventBuilder();
            var answer = new ChatResponseAggregator();
            var translator = new ClaudeStreamTranslator(output, session);
            await foreach (var line in IdleTimeout.EnforceAsync(c => LinesAsync(session, c), _options.IdleTimeout, _time, UpstreamName, linked.Token)
                .ConfigureAwait(false))
            {
                translator.Translate(line);
                var events = output.Drain();
                foreach (var chatEvent in events)
                {
                    answer.Add(chatEvent);
                }
                if (translator.ParkedCallIds is not null || output.Completed)
                {
                    // The process is handed to the registry before the client sees the end of this response: a fast
                    // client (Codex runs a command in milliseconds) sends its next request at once and must find it
                    // parked or idle. From here the registry owns it, so the client leaving no longer kills it.
                    await killOnCancel.DisposeAsync().ConfigureAwait(false);
                    _running.TryRemove(session, out _);
                    if (translator.ParkedCallIds is { } calls)
                    {
                        // The client runs its tools; the process waits for the results, which the next request brings.
                        _sessions.Park(session, calls, _options.ToolParkTimeout);
                    }
                    else if (Volatile.Read(ref _slotWaiters) > 0)
                    {
                        // Another request waits for a process slot: it needs this one more than a possible next turn does.
                        _ = session.DisposeAsync();
                    }
                    else
                    {
                        _sessions.KeepIdle(session, conversation.KeyAfter(answer.ToResponse()), _options.AgentSessionIdle);
                        _pool.Refill(model);
                    }
                    kept = true;
                }
                foreach (var chatEvent in events)
                {
                    yield return chatEvent;
                }
                if (kept)
                {
                    yield break;
                }
            }
            if (_shutdown.IsCancellationRequested)
            {
                throw ShuttingDown();
            }
            cancellationToken.ThrowIfCancellationRequested();
            var exitCode = await session.Process.WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            throw ClaudeErrorMapper.ProcessFailed(exitCode, await session.Process.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false));
        }
        finally
        {
            if (!kept)
            {
                // A kept process left the running set when it was handed over (it may already serve the next request).
                _running.TryRemove(session, out _);
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The process for this request and the line that starts its turn: the parked process waiting for exactly these tool
    /// results (no line: the results go to its MCP calls), the idle process holding this conversation (the new input
    /// as its next turn), a warm one, or a new one with the history as real turns or a transcript.
    /// </summary>
    private async Task<(ClaudeSession Session, string? FirstLine)> OpenAsync(ClaudeConversation conversation, CancellationToken cancellationToken)
    {
        if (conversation.ToolResults is { Count: > 0 } results && _sessions.TakeParked([.. results.Select(r => r.ToolCallId)]) is { } parked)
        {
            foreach (var result in results)
            {
                parked.Deliver(result.ToolCallId, new ClientToolResult(result.Text, result.IsError));
            }
            ClaudeLog.Continued(_logger, "parked", results.Count);
            return (parked, null);
        }
        if (conversation.ToolResults is null && conversation.HasHistory && _sessions.TakeIdle(conversation.KeyBefore()) is { } idle)
        {
            ClaudeLog.Continued(_logger, "idle", 0);
            return (idle, conversation.NextTurnLine());
        }

        var executable = _resolved.Value ?? throw ClaudeErrorMapper.NotFound(_options.ClaudeBin, "not on PATH and not a file");
        var plan = conversation.PlanFresh(_starter.CanResume);
        if (plan.Warm && _pool.TryTake(conversation.Model) is { } warm)
        {
            ClaudeLog.Continued(_logger, "warm", 0);
            return (warm, plan.FirstLine);
        }
        await AcquireSlotAsync(cancellationToken).ConfigureAwait(false);
        var session = _starter.Start(executable, conversation.Model, conversation.Request.SystemText, conversation.Tools, plan.History, ReleaseSlot);
        return (session, plan.FirstLine);
    }

    /// <summary>A warm process for the pool, only when a slot is free right now.</summary>
    private ClaudeSession? StartWarm(string model)
    {
        if (_shutdown.IsCancellationRequested || _resolved.Value is not { } executable || Volatile.Read(ref _slotWaiters) > 0 || !_slots.Wait(0))
        {
            return null;
        }
        try
        {
            return _starter.Start(executable, model, null, [], null, ReleaseSlot);
        }
        catch (ChatBackendException)
        {
            return null;
        }
    }

    private void ReleaseSlot()
    {
        try
        {
            _slots.Release();
        }
        catch (ObjectDisposedException)
        {
            // Shut down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var session in _running.Keys)
        {
            session.Process.Kill();
        }
        await _pool.DisposeAsync().ConfigureAwait(false);
        await _sessions.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The process's stdout lines; being stopped by server shutdown is a 503, not an unexpected failure.</summary>
    private async IAsyncEnumerable<string> LinesAsync(ClaudeSession session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = session.ReadLinesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await lines.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
                {
                    throw ShuttingDown();
                }
                if (!more)
                {
                    break;
                }
                yield return lines.Current;
            }
        }
        finally
        {
            await lines.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ChatBackendException ShuttingDown() => new(ChatErrorKind.Unavailable, "The server is shutting down; the claude process was stopped.");

    /// <summary>A free process slot; when none is free an idle or warm process makes room, else the request waits, then 429.</summary>
    private async Task AcquireSlotAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0))
        {
            return;
        }
        while (_sessions.EvictOneIdle() || _pool.EvictOne())
        {
            // The evicted process frees its slot as it exits.
            if (await _slots.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        Interlocked.Increment(ref _slotWaiters);
        // The queue wait runs on the app's clock (a test's fake one stands in for it). Idle processes that finish
        // their turn meanwhile give their slot up rather than wait for a next turn.
        using var queueTimeout = new CancellationTokenSource(_options.QueueTimeout, _time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, queueTimeout.Token);
        try
        {
            await _slots.WaitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (queueTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ChatBackendException(ChatErrorKind.RateLimited,
                $"All {_options.ClaudeMaxConcurrency} Claude Code slots are busy (waited {_options.QueueTimeout.TotalSeconds:0.#} s); retry shortly "
                + "or raise --claude-max-concurrency.")
            {
                RetryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_options.QueueTimeout.TotalSeconds))),
            };
        }
        finally
        {
            Interlocked.Decrement(ref _slotWaiters);
        }
    }

    private async Task<BackendStatus> ProbeVersionAsync()
    {
        if (_resolved.Value is not { } executable)
        {
            return BackendStatus.NotConfigured(Target, $"not found; {ClaudeErrorMapper.InstallHint}");
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var process = ChildProcess.Start(new ChildProcessStart
            {
                Name = "claude --version",
                Executable = executable,
                Arguments = ["--version"],
                Environment = ClaudeEnvironment.Build(_options.Environment, _options.DefaultMaxRetries),
                WorkingDirectory = Path.GetTempPath(),
            }, _logger);
            process.CloseInput();
            var output = new List<string>();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            await foreach (var line in process.ReadLinesAsync(limit.Token).ConfigureAwait(false))
            {
                output.Add(line);
            }
            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return exit == 0
                ? BackendStatus.Reached(executable, string.Join(' ', output).Trim(), latency)
                : BackendStatus.Unreachable(executable,
                    $"--version exited with {exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no exit"}: "
                    + (await process.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Trim(), latency);
        }
        catch (ChildProcessStartException e)
        {
            return BackendStatus.Unreachable(executable, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return BackendStatus.Unreachable(executable, e.Message);
        }
    }
}
