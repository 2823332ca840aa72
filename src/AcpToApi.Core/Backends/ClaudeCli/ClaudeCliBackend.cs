using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Processes;
using AcpToApi.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// <c>claude/&lt;model&gt;</c>: runs the Claude Code CLI once per request, sandboxed (fresh temporary directory, no tools,
/// no MCP servers, no settings, reduced environment, prompt on stdin), and streams its stdout as it arrives.
/// At most <see cref="ClaudeCliOptions.ClaudeMaxConcurrency"/> processes run at once; no process outlives its request,
/// and disposing the backend (server shutdown) kills any still running.
/// </summary>
public sealed class ClaudeCliBackend : IChatBackend, IBackendProbe, IAsyncDisposable
{
    private const string UpstreamName = "Claude Code CLI";

    private readonly ClaudeCliOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<ChildProcess, byte> _running = new();
    private readonly ILogger _logger;
    private readonly Lazy<string?> _resolved;
    private readonly Lazy<Task<BackendStatus>> _version;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;

    public ClaudeCliBackend(ClaudeCliOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClaudeMaxConcurrency, 1);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClaudeCliBackend>();
        _slots = new SemaphoreSlim(options.ClaudeMaxConcurrency, options.ClaudeMaxConcurrency);
        _resolved = new(() => ExecutableLookup.Find(options.ClaudeBin, options.Environment.GetValueOrDefault("PATH") ?? ""));
        _time = timeProvider ?? TimeProvider.System;
        _version = new(ProbeVersionAsync);
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
        if (request.Tools.Count > 0 && request.ToolChoice?.Mode != ToolChoiceMode.None)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest,
                "The claude backend cannot offer client-defined tools to the model (the CLI has no way to return them to you); "
                + "use the anthropic/ backend for function calling, or send tool_choice \"none\".")
            {
                Param = "tools",
            };
        }
        var prompt = ClaudePromptBuilder.Build(request);
        var executable = _resolved.Value ?? throw ClaudeErrorMapper.NotFound(_options.ClaudeBin, "not on PATH and not a file");

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await AcquireSlotAsync(linked.Token).ConfigureAwait(false);
        try
        {
            using var sandbox = ClaudeSandbox.Create(_options.TempRoot, prompt.SystemPrompt);
            await using var process = Start(executable, [.. ClaudeArguments.Build(_options, model, sandbox.SystemPromptFile)], sandbox.WorkingDirectory);
            _running[process] = 0;
            // Kill at once when the client leaves, even while a read is pending; disposal then reaps it.
            await using var killOnCancel = linked.Token.UnsafeRegister(static state => ((ChildProcess)state!).Kill(), process);
            try
            {
                // The prompt goes on stdin (never argv: visible in ps, length-limited); closing it lets the CLI answer and exit.
                await process.WriteLineAsync(prompt.StdinLine, linked.Token).ConfigureAwait(false);
                process.CloseInput();
                var output = new ChatEventBuilder();
                var translator = new ClaudeStreamTranslator(output);
                await foreach (var line in IdleTimeout.EnforceAsync(c => LinesAsync(process, c), _options.IdleTimeout, _time, UpstreamName, linked.Token)
                    .ConfigureAwait(false))
                {
                    translator.Translate(line);
                    foreach (var chatEvent in output.Drain())
                    {
                        yield return chatEvent;
                    }
                    if (output.Completed)
                    {
                        yield break;
                    }
                }
                if (_shutdown.IsCancellationRequested)
                {
                    throw new ChatBackendException(ChatErrorKind.Unavailable, "The server is shutting down; the claude process was stopped.");
                }
                cancellationToken.ThrowIfCancellationRequested();
                var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                throw ClaudeErrorMapper.ProcessFailed(exitCode, await process.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false));
            }
            finally
            {
                _running.TryRemove(process, out _);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var process in _running.Keys)
        {
            process.Kill();
        }
    }

    /// <summary>The process's stdout lines; being stopped by server shutdown is a 503, not an unexpected failure.</summary>
    private async IAsyncEnumerable<string> LinesAsync(ChildProcess process, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = process.ReadLinesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                    throw new ChatBackendException(ChatErrorKind.Unavailable, "The server is shutting down; the claude process was stopped.");
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

    private async Task AcquireSlotAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0))
        {
            return;
        }
        // The queue wait runs on the app's clock (a test's fake one stands in for it).
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
    }

    /// <summary>Starts the CLI with the sandbox's reduced environment; a missing binary is a 503 with an install hint.</summary>
    private ChildProcess Start(string executable, IReadOnlyList<string> arguments, string workingDirectory)
    {
        try
        {
            return ChildProcess.Start(new ChildProcessStart
            {
                Name = "claude",
                Executable = executable,
                Arguments = arguments,
                Environment = ClaudeEnvironment.Build(_options.Environment, _options.DefaultMaxRetries),
                WorkingDirectory = workingDirectory,
            }, _logger);
        }
        catch (ChildProcessStartException e)
        {
            throw ClaudeErrorMapper.NotFound(executable, e.Reason);
        }
    }

    private async Task<BackendStatus> ProbeVersionAsync()
    {
        if (_resolved.Value is not { } executable)
        {
            return new BackendStatus(false, false, Target, $"not found; {ClaudeErrorMapper.InstallHint}");
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var process = Start(executable, ["--version"], Path.GetTempPath());
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
                ? new BackendStatus(true, true, executable, string.Join(' ', output).Trim(), latency)
                : new BackendStatus(true, false, executable,
                    $"--version exited with {exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no exit"}: "
                    + (await process.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Trim(), latency);
        }
        catch (Exception e) when (e is ChatBackendException or OperationCanceledException or IOException)
        {
            return new BackendStatus(true, false, executable, e.Message);
        }
    }
}
