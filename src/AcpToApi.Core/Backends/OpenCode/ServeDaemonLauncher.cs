using System.Diagnostics;
using System.Globalization;
using AcpToApi.Processes;
using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// Opt-in auto-launch: starts <c>&lt;binary&gt; serve --port P --hostname H</c> (port and host from the configured URL)
/// as a child when the daemon does not answer, waits for its health check, and kills it when the gateway stops.
/// </summary>
internal sealed class ServeDaemonLauncher(ServeApiOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ChildProcess? _process;

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
                if (_process is not null)
                {
                    await _process.DisposeAsync().ConfigureAwait(false);
                }
                _process = Start();
                ServeLog.DaemonLaunched(logger, options.DisplayName, _process.Id, options.BaseUrl);
            }
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < options.LaunchTimeout)
            {
                if (_process.HasExited)
                {
                    var exit = await _process.WaitForExitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    throw Failure($"it exited with code {exit?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {await TailAsync().ConfigureAwait(false)}");
                }
                if (await isHealthy(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            throw Failure($"it did not answer GET /global/health within {options.LaunchTimeout.TotalSeconds:0} s: {await TailAsync().ConfigureAwait(false)}");
        }
        finally
        {
            _lock.Release();
        }
    }

    private ChildProcess Start()
    {
        var binary = ExecutableLookup.Find(options.BinaryName, options.LaunchEnvironment)
            ?? throw Failure($"'{options.BinaryName}' is not on PATH");
        try
        {
            return ChildProcess.Start(new ChildProcessStart
            {
                Name = options.BinaryName + " serve",
                Executable = binary,
                Arguments = ["serve", "--port", options.BaseUrl.Port.ToString(CultureInfo.InvariantCulture), "--hostname", options.BaseUrl.Host],
                // An auto-launched daemon inherits the gateway's environment (as read at start-up) when one is given.
                Environment = options.LaunchEnvironment,
                WorkingDirectory = options.LaunchWorkingDirectory ?? Environment.CurrentDirectory,
                ReadsOutput = false,
            }, logger);
        }
        catch (ChildProcessStartException e)
        {
            throw Failure(e.Reason);
        }
    }

    private async Task<string> TailAsync()
    {
        var text = (await _process!.TailAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Trim();
        return text.Length == 0 ? "no output" : text;
    }

    private ChatBackendException Failure(string why) => new(ChatErrorKind.Unavailable,
        $"{options.DisplayName} is not reachable at {options.BaseUrl} and auto-launch of `{options.StartCommand}` failed: {why}");

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
        _lock.Dispose();
    }
}
