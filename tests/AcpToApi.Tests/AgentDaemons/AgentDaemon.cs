using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>
/// A real <c>opencode serve</c> or <c>kilo serve</c> (pinned, from tests/backends/node_modules) on a free 127.0.0.1 port,
/// with isolated HOME/XDG dirs, a fresh working directory and a config whose only provider is a <see cref="FakeLlmServer"/>,
/// as BACKENDS.md prescribes.
/// </summary>
public sealed class AgentDaemon : IAsyncDisposable
{
    public const string FakeModel = AgentRecipe.DaemonModel;

    private readonly StringBuilder _output;
    private Process _process;

    private AgentDaemon(string kind, FakeLlmServer fake, Process process, StringBuilder output, Uri baseUrl, string root,
        IReadOnlyDictionary<string, string> environment)
    {
        Kind = kind;
        Fake = fake;
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
        Root = root;
        Environment = environment;
    }

    /// <summary>opencode or kilo.</summary>
    public string Kind { get; }

    public FakeLlmServer Fake { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUrl { get; }

    public string Root { get; }

    /// <summary>The daemon's working directory (its project).</summary>
    public string WorkDirectory => Path.Combine(Root, "work");

    /// <summary>The daemon's complete environment (isolated dirs, config path, DISABLE switches, PATH).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static string BinaryPath(string kind) => AgentRecipe.BinaryPath(TestEnvironment.RepoRoot, kind);

    public static bool IsInstalled(string kind) => OperatingSystem.IsLinux() && File.Exists(BinaryPath(kind));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The environment BACKENDS.md prescribes, under <paramref name="root"/>, with the config pointing at <paramref name="fake"/>.</summary>
    public static Dictionary<string, string> BuildEnvironment(string kind, string root, FakeLlmServer fake) =>
        AgentRecipe.DaemonEnvironment(kind, root, new Uri(fake.BaseUrl, "v1"));

    public static async Task<AgentDaemon> StartAsync(string kind)
    {
        var fake = await FakeLlmServer.StartAsync();
        var root = Directory.CreateTempSubdirectory($"acptoapi-{kind}-").FullName;
        var environment = BuildEnvironment(kind, root, fake);
        File.WriteAllText(Path.Combine(root, "work", "notes.md"), "# notes\n");
        File.WriteAllText(Path.Combine(root, "work", "marker.txt"), "keep me\n");

        var port = FreePort();
        var output = new StringBuilder();
        var process = Launch(kind, root, environment, port, output);
        var daemon = new AgentDaemon(kind, fake, process, output, new Uri($"http://127.0.0.1:{port}/"), root, environment);
        try
        {
            await WaitHealthyAsync(daemon.BaseUrl, process, output);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private static Process Launch(string kind, string root, IReadOnlyDictionary<string, string> environment, int port, StringBuilder output)
    {
        var start = new ProcessStartInfo(BinaryPath(kind))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.Combine(root, "work"),
        };
        foreach (var argument in new[] { "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--hostname", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the daemon at once (SIGKILL, the whole tree), as a crash would; its stored sessions stay in its data directory.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    /// <summary>Starts the daemon again on the same port, with the same directories (so it finds the sessions it stored).</summary>
    public async Task RestartAsync()
    {
        _process.Dispose();
        _process = Launch(Kind, Root, Environment, BaseUrl.Port, _output);
        await WaitHealthyAsync(BaseUrl, _process, _output);
    }

    /// <summary>
    /// Polls GET /global/health: readiness, not a sleep. Bounded generously (a first start of a daemon on a machine whose
    /// cores are all busy took more than 45 s once), and a slow answer is waited for rather than counted as "not up".
    /// </summary>
    public static async Task WaitHealthyAsync(Uri baseUrl, Process? process, StringBuilder? output)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3))
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"the daemon exited with {process.ExitCode}: {output}");
            }
            try
            {
                var body = await http.GetStringAsync(new Uri(baseUrl, "global/health"));
                if (JsonDocument.Parse(body).RootElement.GetProperty("healthy").GetBoolean())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Not up yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the daemon at {baseUrl} did not become healthy: {output}");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private static void Keep(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            if (output.Length < 256 * 1024)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Gone already or stuck; the temp dir is still removed below.
        }
        _process.Dispose();
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling child may still hold a file; the OS temp cleaner will get it.
        }
    }
}
