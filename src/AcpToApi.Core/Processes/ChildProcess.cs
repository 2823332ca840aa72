using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AcpToApi.Processes;

/// <summary>
/// The one way the gateway runs a child process: argv as a list, an explicit environment, stdin written line by line,
/// stdout read line by line as it arrives (or drained), stderr kept in a small rolling tail for error messages, the
/// whole process tree killed on <see cref="Kill"/> and on disposal, and a bounded wait for the exit. Start, exit and
/// kill are logged; output lines only at Debug.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ChildProcessStart _start;
    private readonly ILogger _logger;
    private readonly Task _stderrPump;
    private readonly Task _stdoutPump;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private int _killed;
    private int _disposed;

    private ChildProcess(Process process, ChildProcessStart start, ILogger logger)
    {
        _process = process;
        _start = start;
        _logger = logger;
        Id = process.Id;
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => OnExited();
        _stderrPump = PumpAsync(_process.StandardError, "stderr");
        _stdoutPump = start.ReadsOutput ? Task.CompletedTask : PumpAsync(_process.StandardOutput, "stdout");
    }

    public int Id { get; }

    public string Name => _start.Name;

    /// <summary>The last few KB of stderr (and of stdout when the caller does not read it).</summary>
    public OutputTail Tail { get; } = new();

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the child; a missing or non-executable file is a <see cref="ChildProcessStartException"/>.</summary>
    public static ChildProcess Start(ChildProcessStart start, ILogger logger)
    {
        var info = new ProcessStartInfo(start.Executable)
        {
            WorkingDirectory = start.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (start.Environment is { } environment)
        {
            // Start from nothing: the gateway's own environment must not leak into the child.
            info.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }
        try
        {
            var process = Process.Start(info) ?? throw new ChildProcessStartException(start, "the process did not start");
            ProcessLog.Started(logger, start.Name, process.Id, start.Executable, start.Arguments.Count);
            return new ChildProcess(process, start, logger);
        }
        catch (Win32Exception e)
        {
            ProcessLog.StartFailed(logger, start.Name, start.Executable, e.Message);
            throw new ChildProcessStartException(start, e.Message, e);
        }
    }

    /// <summary>Writes one line to stdin. Returns false when the child has closed its input (it exited or crashed).</summary>
    public async Task<bool> WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            var stdin = _process.StandardInput;
            await stdin.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            // The child exited before reading its input (bad flag, crash): its exit code and stderr tell why.
            return false;
        }
    }

    /// <summary>Closes stdin: for a CLI that answers once its input ends.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    /// <summary>stdout, line by line as it arrives, until the child closes it.</summary>
    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stdout = _process.StandardOutput;
        while (await stdout.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                ProcessLog.OutputLine(_logger, _start.Name, Id, "stdout", line);
            }
            yield return line;
        }
    }

    /// <summary>The exit code once the child has ended, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The output tail once the pipes are drained (bounded wait), for the error message of a failed run.</summary>
    public async Task<string> TailAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_stderrPump, _stdoutPump).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Report what arrived so far.
        }
        return Tail.ToString();
    }

    /// <summary>Kills the child and everything it started; safe to call at any time, from any thread, more than once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited && Interlocked.Exchange(ref _killed, 1) == 0)
            {
                ProcessLog.Killing(_logger, _start.Name, Id);
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Kill();
        if (await WaitForExitAsync(ExitWait).ConfigureAwait(false) is null)
        {
            ProcessLog.DidNotExit(_logger, _start.Name, Id, ExitWait.TotalSeconds);
        }
        try
        {
            await Task.WhenAll(_stderrPump, _stdoutPump).WaitAsync(ExitWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild may still hold a pipe open; it was killed with the tree.
        }
        // Close our ends of the pipes now rather than at finalization, so descriptors do not pile up under load.
        _process.StandardInput.Dispose();
        _process.StandardOutput.Dispose();
        _process.StandardError.Dispose();
        _process.Dispose();
    }

    private void OnExited()
    {
        try
        {
            ProcessLog.Exited(_logger, _start.Name, Id, _process.ExitCode, Stopwatch.GetElapsedTime(_startedAt).TotalMilliseconds);
        }
        catch (InvalidOperationException)
        {
            // Disposed meanwhile.
        }
    }

    private async Task PumpAsync(StreamReader reader, string stream)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Tail.Append(line);
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    ProcessLog.OutputLine(_logger, _start.Name, Id, stream, line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed under us while the process was killed.
        }
    }
}
