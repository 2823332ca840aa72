using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// The real program as users start it (Program.Main, its own process: the JIT build, or the executable named by
/// <see cref="GatewayProcess.ServerVariable"/>, the Native AOT binary in test.sh's second run): the path the in-process
/// tests skip, where <c>--inline-io</c> also switches the runtime's socket engine to inline completions.
/// </summary>
public sealed class ServerProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task TheProgramStartsAndStreams(string? inlineIo)
    {
        string[] extra = inlineIo is null ? [] : ["--inline-io", inlineIo];
        // Only the program may turn the runtime's inline completions on here, not a value inherited from the test run.
        var environment = ProcessEnvironment().Where(e => e.Key != InlineSocketCompletions.Variable).ToDictionary();
        await using var process = await StartAsync(environment, extra);

        using var http = ClientOf(process);
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"echo/delay=10","stream":true,"messages":[{"role":"user","content":"real process here"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("real process here", RawSse.Content(frames));
        Assert.Equal("[DONE]", frames[^1].Data);
        var config = await http.GetStringAsync("/debug/config", Ct);
        var on = extra.Length == 0 ? "true" : "false";
        Assert.Contains($"\"inlineIo\":{on}", config, StringComparison.Ordinal);
        Assert.Contains($"\"inlineSocketCompletions\":{on}", config, StringComparison.Ordinal);
        Assert.Equal(0, await process.StopAsync());
    }

    /// <summary>
    /// Building the app allocates megabytes that are garbage once it listens, and nothing would collect them until traffic
    /// allocated as much again: the program collects them once, before its start-up report ends. Seen from outside in the
    /// runtime's own collection count (a fresh process has had no full collection otherwise); off with the idle trim.
    /// </summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData("0", false)]
    public async Task AFreshServerHasCollectedItsStartupGarbage(string? idleMemoryTrim, bool collected)
    {
        string[] extra = idleMemoryTrim is null ? [] : ["--idle-memory-trim", idleMemoryTrim];
        await using var process = await StartAsync(ProcessEnvironment(), extra);
        using var http = ClientOf(process);

        var metrics = await http.GetStringAsync("/metrics", Ct);

        var fullCollections = metrics.Split('\n').Single(line =>
            line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal) && line.Contains("gc_heap_generation=\"gen2\"", StringComparison.Ordinal));
        Assert.Equal(collected ? "1" : "0", fullCollections.Split(' ')[^1]);
        Assert.Equal(0, await process.StopAsync());
    }

    /// <summary>
    /// Idle footprint (issue 16): nothing at start-up maps OpenSSL (3.4 MB resident; it is loaded when an HTTPS upstream
    /// or a client-tool conversation first needs it) or watches configuration files that are never read (a thread and an
    /// inotify instance).
    /// </summary>
    [Fact]
    public async Task AFreshServerLoadsNeitherOpenSslNorAFileWatcher()
    {
        await using var process = await StartAsync(ProcessEnvironment());
        using var http = ClientOf(process);
        using var health = await http.GetAsync("/health", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);

        var maps = await File.ReadAllTextAsync($"/proc/{process.Pid}/maps", Ct);
        Assert.DoesNotContain("libcrypto", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libssl", maps, StringComparison.Ordinal);
        var threads = Directory.GetDirectories($"/proc/{process.Pid}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim()).ToList();
        Assert.DoesNotContain(threads, name => name.Contains("File Watch", StringComparison.Ordinal));
        Assert.Equal(0, await process.StopAsync());
    }

    [Fact]
    public async Task VersionAndHelpNameTheProgramAndItsInstallCommands()
    {
        var version = await ChildProcess.RunAsync(StartInfo("--version"), TimeSpan.FromSeconds(90), Ct);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal(GatewayInfo.Version, version.Stdout.Trim());

        var help = await ChildProcess.RunAsync(StartInfo("--help"), TimeSpan.FromSeconds(90), Ct);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("npx acptoapi-dotnet", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--port", help.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The program on a free port at Warning, with <paramref name="extra"/> flags.</summary>
    private static Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extra) =>
        GatewayProcess.StartAsync(Command, ["--port", "0", "--log-level", "Warning", .. extra], environment, Ct);

    private static HttpClient ClientOf(GatewayProcess process) => new() { BaseAddress = process.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    private static string[] Command => GatewayProcess.ExternalServer is { } executable ? [executable] : GatewayProcess.JitCommand;

    private static System.Diagnostics.ProcessStartInfo StartInfo(string argument)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Command[0]) { UseShellExecute = false };
        foreach (var item in Command.Skip(1).Append(argument))
        {
            start.ArgumentList.Add(item);
        }
        return start;
    }

    private static Dictionary<string, string> ProcessEnvironment() => AcpToApi.Configuration.SettingsLoader.ReadProcessEnvironment().ToDictionary();
}
