using System.Diagnostics;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentClients;

/// <summary>
/// The real, pinned Claude Code CLI as a <b>client</b> of the gateway's /v1/messages (<c>ANTHROPIC_BASE_URL</c> at the
/// gateway, an API key in the environment, non-interactive <c>-p</c>), isolated and offline: its own HOME, config dir and
/// XDG dirs, telemetry, error reporting, auto-update and non-essential traffic off, no retries, an explicit environment,
/// and the whole process tree killed when a run ends.
/// </summary>
public sealed class ClaudeCodeCli : IDisposable
{
    private readonly string _root;
    private readonly Uri _gateway;

    public ClaudeCodeCli(Uri gatewayBaseUrl)
    {
        _gateway = gatewayBaseUrl;
        _root = Directory.CreateTempSubdirectory("acptoapi-claude-client-").FullName;
        Directory.CreateDirectory(WorkDirectory);
        Directory.CreateDirectory(Home);
    }

    /// <summary>Where the client runs (and runs its tools).</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>The client's private HOME (its processes carry it, so they can be told from the backend's).</summary>
    public string Home => Path.Combine(_root, "home");

    /// <summary>
    /// Runs <c>claude -p &lt;prompt&gt; --output-format json --model &lt;model&gt;</c> plus <paramref name="arguments"/>
    /// (stdin closed) and waits for it, at most 90 seconds; fails the test unless it exits 0.
    /// </summary>
    /// <returns>The CLI's <c>result</c> object.</returns>
    public async Task<JsonElement> PrintAsync(string prompt, string model, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var claude = BackendBinaries.Require(BackendBinaries.Claude);
        var start = new ProcessStartInfo(claude) { WorkingDirectory = WorkDirectory };
        foreach (var argument in new[] { "-p", prompt, "--output-format", "json", "--model", model }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Home;
        start.Environment["CLAUDE_CONFIG_DIR"] = Path.Combine(Home, ".claude");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share");
        start.Environment["XDG_STATE_HOME"] = Path.Combine(Home, ".local", "state");
        start.Environment["ANTHROPIC_BASE_URL"] = _gateway.GetLeftPart(UriPartial.Authority);
        start.Environment["ANTHROPIC_API_KEY"] = "sk-ant-client-of-the-gateway";
        start.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        start.Environment["DISABLE_AUTOUPDATER"] = "1";
        start.Environment["DISABLE_TELEMETRY"] = "1";
        start.Environment["DISABLE_ERROR_REPORTING"] = "1";
        start.Environment["CLAUDE_CODE_MAX_RETRIES"] = "0";

        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(90), cancellationToken);
        Assert.True(result.ExitCode == 0, $"claude exited {result.ExitCode}: {result.Stdout} {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
