using System.Diagnostics;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>
/// The real, pinned Codex CLI as a Responses API client of the gateway, isolated and offline: its own HOME and
/// CODEX_HOME under a temporary directory, a config.toml whose only model provider is the gateway (a custom provider,
/// not named "OpenAI", <c>wire_api = "responses"</c>, no retries), analytics, feedback, telemetry, update checks and
/// plugin sync off, an explicit environment, and the whole process tree killed when a run ends.
/// </summary>
public sealed class CodexCli : IDisposable
{
    private readonly string _root;

    /// <param name="providerConfig">The model and provider part of config.toml; null: <see cref="ProviderConfig"/>.</param>
    public CodexCli(Uri gatewayOpenAIEndpoint, string model, string? providerConfig = null)
    {
        TestEnvironment.Require(OperatingSystem.IsLinux() && File.Exists(BackendBinaries.Codex), $"the pinned Codex CLI ({BackendBinaries.Codex})");
        _root = Directory.CreateTempSubdirectory("acptoapi-codex-test-").FullName;
        foreach (var directory in new[] { "home", "codex-home", "work" })
        {
            Directory.CreateDirectory(Path.Combine(_root, directory));
        }
        File.WriteAllText(Path.Combine(_root, "codex-home", "config.toml"),
            OfflineConfig(providerConfig ?? ProviderConfig(gatewayOpenAIEndpoint.ToString().TrimEnd('/'), model)));
    }

    /// <summary>Where Codex runs its commands.</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>What the README's recipe says, plus no retries (failures end at once) and the key variable.</summary>
    public static string ProviderConfig(string baseUrl, string model) => $$"""
        model = "{{model}}"
        model_provider = "acptoapi"

        [model_providers.acptoapi]
        name = "acptoapi"
        base_url = "{{baseUrl}}"
        env_key = "ACPTOAPI_API_KEY"
        wire_api = "responses"
        request_max_retries = 0
        stream_max_retries = 0
        """;

    /// <summary>
    /// <paramref name="providerConfig"/> wrapped in what keeps Codex offline and unattended: no update check, analytics,
    /// feedback, telemetry or plugin sync (which reaches github.com and chatgpt.com), no approvals, no sandbox.
    /// </summary>
    public static string OfflineConfig(string providerConfig) => $$"""
        approval_policy = "never"
        sandbox_mode = "danger-full-access"
        check_for_update_on_startup = false
        {{providerConfig}}

        [analytics]
        enabled = false

        [feedback]
        enabled = false

        [otel]
        exporter = "none"
        log_user_prompt = false

        [features]
        plugins = false
        remote_plugin = false
        apps = false
        """;

    /// <summary>Runs <c>codex exec --json</c> with <paramref name="prompt"/> (stdin closed, as <c>&lt;/dev/null</c>) and waits for it (at most two minutes).</summary>
    public async Task<CodexRun> ExecAsync(string prompt, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(BackendBinaries.Codex) { WorkingDirectory = WorkDirectory };
        foreach (var argument in new[] { "exec", "--skip-git-repo-check", "--strict-config", "--json", prompt })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = Path.Combine(_root, "home");
        start.Environment["CODEX_HOME"] = Path.Combine(_root, "codex-home");
        start.Environment["ACPTOAPI_API_KEY"] = "none";

        var result = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(2), cancellationToken);
        return new CodexRun(result.ExitCode, result.StdoutJsonLines(), result.Stderr);
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

/// <summary>One <c>codex exec --json</c>: its exit code, its JSONL events and its stderr transcript.</summary>
public sealed record CodexRun(int ExitCode, IReadOnlyList<JsonElement> Events, string Stderr)
{
    /// <summary>The items of <c>item.completed</c> events of <paramref name="type"/> (agent_message, command_execution, error).</summary>
    public IEnumerable<JsonElement> Completed(string type) => Events
        .Where(e => e.GetProperty("type").GetString() == "item.completed" && e.GetProperty("item").GetProperty("type").GetString() == type)
        .Select(e => e.GetProperty("item"));

    public string Describe() => $"exit {ExitCode}\nevents:\n{string.Join('\n', Events.Select(e => e.GetRawText()))}\nstderr:\n{Stderr}";
}
