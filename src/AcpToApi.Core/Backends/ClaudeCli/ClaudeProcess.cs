using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// One running <c>claude</c>: argv as a list, an explicit environment, stdin written once and closed, stdout read
/// line by line as it arrives, stderr drained into a small rolling buffer. Disposing kills the whole process tree
/// and waits, boundedly, for it to exit.
/// </summary>
public sealed class ClaudeProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Task _stderrPump;

    private ClaudeProcess(Process process)
    {
        _process = process;
        _stderrPump = PumpStderrAsync();
    }

    public int Id => _process.Id;

    public StderrTail Stderr { get; } = new();

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the binary; a missing or non-executable file is a 503 with an install hint.</summary>
    public static ClaudeProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Start from nothing: the server's own environment must not leak into the child.
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        try
        {
            var process = Process.Start(startInfo) ?? throw ClaudeErrorMapper.NotFound(executable);
            return new ClaudeProcess(process);
        }
        catch (Win32Exception e)
        {
            throw ClaudeErrorMapper.NotFound(executable, e.Message);
        }
    }

    /// <summary>Writes the whole input and closes stdin, so the CLI answers and exits.</summary>
    public async Task WriteInputAsync(string input, CancellationToken cancellationToken)
    {
        try
        {
            var stdin = _process.StandardInput;
            await stdin.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            stdin.Close();
        }
        catch (IOException)
        {
            // The CLI exited before reading its input (bad flag, crash): the exit code and stderr tell why.
        }
    }

    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stdout = _process.StandardOutput;
        while (await stdout.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>The exit code once the process has ended, or null if it is still running after <paramref name="timeout"/>.</summary>
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

    /// <summary>The stderr tail once the pipe has been drained (bounded wait), for the error message of a failed run.</summary>
    public async Task<string> StderrTailAsync(TimeSpan timeout)
    {
        try
        {
            await _stderrPump.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Report what arrived so far.
        }
        return Stderr.ToString();
    }

    /// <summary>Kills the process and everything it started; safe to call at any time, from any thread.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
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
        Kill();
        await WaitForExitAsync(ExitWait).ConfigureAwait(false);
        try
        {
            await _stderrPump.WaitAsync(ExitWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild may still hold stderr open; it was killed with the tree.
        }
        _process.Dispose();
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Stderr.Append(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed under us while the process was killed.
        }
    }
}
