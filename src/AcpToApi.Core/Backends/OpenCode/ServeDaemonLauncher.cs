using System.Diagnostics;
using System.Text;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// Opt-in auto-launch: starts <c>&lt;binary&gt; serve --port P --hostname H</c> (port and host from the configured URL)
/// as a child when the daemon does not answer, waits for its health check, and kills it when the gateway stops.
/// </summary>
public sealed class ServeDaemonLauncher(ServeApiOptions options) : IAsyncDisposable
{
    private const int StderrKeep = 4096;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The child's process id while one runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Finds the binary on the PATH of the launch environment (or the gateway's).</summary>
    public string? FindBinary()
    {
        if (Path.IsPathRooted(options.BinaryName))
        {
            return File.Exists(options.BinaryName) ? options.BinaryName : null;
        }
        var path = options.LaunchEnvironment?.GetValueOrDefault("PATH") ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, options.BinaryName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Starts the daemon unless <paramref name="isHealthy"/> already says it is up; throws a 503-kind error when it cannot.</summary>
    public async Task EnsureRunningAsync(Func<CancellationToken, Task<bool>> isHealthy, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await isHealthy(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (_process is null || _process.HasExited)
            {
                Start();
            }
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < options.LaunchTimeout)
            {
                if (_process!.HasExited)
                {
                    throw Failure($"it exited with code {_process.ExitCode}: {Tail()}");
                }
                if (await isHealthy(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            throw Failure($"it did not answer GET /global/health within {options.LaunchTimeout.TotalSeconds:0} s: {Tail()}");
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Start()
    {
        var binary = FindBinary() ?? throw Failure($"'{options.BinaryName}' is not on PATH");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.LaunchWorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in new[] { "serve", "--port", options.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--hostname", options.BaseUrl.Host })
        {
            start.ArgumentList.Add(argument);
        }
        if (options.LaunchEnvironment is { } environment)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }
        lock (_output)
        {
            _output.Clear();
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > StderrKeep)
            {
                _output.Remove(0, _output.Length - StderrKeep);
            }
        }
    }

    private string Tail()
    {
        lock (_output)
        {
            var text = _output.ToString().Trim();
            return text.Length == 0 ? "no output" : text;
        }
    }

    private ChatBackendException Failure(string why) => new(ChatErrorKind.Unavailable,
        $"{options.DisplayName} is not reachable at {options.BaseUrl} and auto-launch of `{options.StartCommand}` failed: {why}");

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // Already gone, or it would not die in time; nothing more we can do.
            }
            process.Dispose();
        }
        _lock.Dispose();
    }
}
