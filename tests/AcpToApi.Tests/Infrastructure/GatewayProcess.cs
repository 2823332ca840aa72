using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// The gateway as users start it, in a process of its own: the JIT build (<c>dotnet acptoapi.dll</c>), the Native AOT
/// executable, or the npm launcher. Started on port 0; its address is read from the "listening on" line it prints.
/// Stopped as a terminal or a service manager stops it (SIGTERM), and it must then exit by itself with code 0.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly Task _stderrDone;
    private readonly Task _stdoutDone;
    private int _stopped;

    private readonly bool _processGroup;

    private GatewayProcess(Process process, Task stdoutDone, StringBuilder stderr, Task stderrDone, Uri baseUrl, bool processGroup)
    {
        _processGroup = processGroup;
        _process = process;
        _stderr = stderr;
        _stdoutDone = stdoutDone;
        _stderrDone = stderrDone;
        BaseUrl = baseUrl;
    }

    /// <summary>The variable naming a gateway executable for <see cref="GatewayServer"/> to run the tests against (test.sh sets it to the AOT binary).</summary>
    public const string ServerVariable = "ACPTOAPI_TEST_SERVER";

    /// <summary>The executable named by <see cref="ServerVariable"/> (a relative path is the repository's), or null when the tests run the gateway in-process.</summary>
    public static string? ExternalServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } path
        ? Path.GetFullPath(path, TestEnvironment.RepoRoot)
        : null;

    /// <summary>The JIT build next to the tests, started the way <c>dotnet run</c> starts it.</summary>
    public static string[] JitCommand => ["dotnet", Path.Combine(AppContext.BaseDirectory, "acptoapi.dll")];

    /// <summary>http://127.0.0.1:port (no path).</summary>
    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <param name="command">The program and its first arguments (<see cref="JitCommand"/>, or an executable's path).</param>
    /// <param name="arguments">The gateway's own arguments; <c>--port 0</c> comes from the caller.</param>
    /// <param name="environment">The process's whole environment, when given (nothing inherited, as an in-process gateway sees only what a test gives it); null inherits the test run's.</param>
    /// <param name="workingDirectory">Where it starts (npx looks for the installed package there); null: the test run's.</param>
    /// <param name="processGroup">Start it as the leader of a process group of its own (<c>setsid</c>), which
    /// <see cref="StopAsync"/> then signals as a whole, as a terminal's Ctrl+C does.</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyList<string> command, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, string? workingDirectory = null,
        bool processGroup = false)
    {
        command = processGroup ? ["setsid", .. command] : command;
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        process.StandardInput.Close();
        var stderr = new StringBuilder();
        var stderrDone = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }
            }
        }, CancellationToken.None);
        Uri? address = null;
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Generous: a JIT build on a machine with both cores busy; the AOT binary needs a fraction of a second.
            startup.CancelAfter(TimeSpan.FromSeconds(90));
            // Read on to the end of the start-up report (its "Try:" line), printed once every backend has been probed.
            while (await process.StandardOutput.ReadLineAsync(startup.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    address = new Uri(match.Groups[1].Value);
                }
                else if (address is not null && line.StartsWith("Try: ", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (address is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(stderrDone, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            process.Dispose();
            Assert.Fail($"{string.Join(' ', command)} printed no 'listening on' line; stderr: {stderr}");
        }
        // The rest of stdout (the backends' start-up lines) is read so the process never blocks on a full pipe.
        var stdoutDone = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        return new GatewayProcess(process, stdoutDone, stderr, stderrDone, address, processGroup);
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (to the whole group when started with one) and waits for the process to exit and
    /// its output to close; the exit code (0 for a clean shutdown), or null if it had to be killed.
    /// </summary>
    public async Task<int?> StopAsync(string signal = "TERM")
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _process.WaitForExitAsync(CancellationToken.None);
            return _process.ExitCode;
        }
        if (!_process.HasExited)
        {
            var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", _processGroup ? "-" + pid : pid]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync(CancellationToken.None);
        }
        using var limit = new CancellationTokenSource(Eventually.Bound);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            // A child that outlived it would still hold the output pipes open.
            await Task.WhenAll(_stdoutDone, _stderrDone).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return null;
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
