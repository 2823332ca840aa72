using System.Diagnostics;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentClients;

/// <summary>
/// The real, pinned opencode as a <b>client</b> of the gateway (<c>opencode run</c>), isolated and offline: its own HOME,
/// XDG dirs and config file (<paramref name="config"/>, whose provider is the gateway), every DISABLE switch, the plugin
/// package it would npm-install pre-provided (see <see cref="AgentRecipe.OfflineEnvironment"/>), and the whole process
/// tree killed when a run ends.
/// </summary>
public sealed class OpenCodeCli : IDisposable
{
    private readonly string _root;
    private readonly Dictionary<string, string> _environment;

    public OpenCodeCli(string config)
    {
        TestEnvironment.Require(OperatingSystem.IsLinux() && File.Exists(BackendBinaries.OpenCode), $"the pinned opencode ({BackendBinaries.OpenCode})");
        _root = Directory.CreateTempSubdirectory("acptoapi-opencode-client-").FullName;
        var configPath = Path.Combine(_root, "opencode.json");
        File.WriteAllText(configPath, config);
        _environment = AgentRecipe.OfflineEnvironment("opencode", _root, configPath);
    }

    /// <summary>opencode's private HOME: its processes, and only those, carry it.</summary>
    public string Home => Path.Combine(_root, "home");

    /// <summary>Where opencode runs (and runs its bash commands).</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>What opencode would have downloaded from the npm registry: the npm cache in its HOME and its config's packages.</summary>
    public IEnumerable<string> Downloads =>
        new[] { Path.Combine(Home, ".npm"), Path.Combine(_root, "config", "opencode", "node_modules") }
            .Where(Directory.Exists)
            .SelectMany(directory => Directory.EnumerateFileSystemEntries(directory));

    /// <summary>
    /// Runs <c>opencode run --format json</c> with <paramref name="prompt"/> (a given title, so opencode asks the model for
    /// no title of its own) and waits for it, at most two minutes.
    /// </summary>
    public async Task<OpenCodeRun> RunAsync(string prompt, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(BackendBinaries.OpenCode) { WorkingDirectory = WorkDirectory };
        foreach (var argument in new[] { "run", "--format", "json", "--title", "acptoapi test", prompt })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var result = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(2), cancellationToken);
        return new OpenCodeRun(result.ExitCode, result.StdoutJsonLines(), result.Stderr);
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

/// <summary>One <c>opencode run --format json</c>: its exit code, its JSON events and its stderr.</summary>
public sealed record OpenCodeRun(int ExitCode, IReadOnlyList<JsonElement> Events, string Stderr)
{
    /// <summary>The parts of events of <paramref name="type"/> (text, tool_use, step_finish, …).</summary>
    public IEnumerable<JsonElement> Parts(string type) => Events
        .Where(e => e.GetProperty("type").GetString() == type && e.TryGetProperty("part", out _))
        .Select(e => e.GetProperty("part"));

    public IEnumerable<JsonElement> Errors => Events.Where(e => e.GetProperty("type").GetString() == "error");

    public string Describe() => $"exit {ExitCode}\nevents:\n{string.Join('\n', Events.Select(e => e.GetRawText()))}\nstderr:\n{Stderr}";
}
