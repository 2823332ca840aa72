namespace AcpToApi.FakeLlm;

/// <summary>
/// How BACKENDS.md points the real, pinned agent CLIs at this fake: where npm puts their binaries, and the isolated
/// environment (HOME, XDG dirs, config whose only provider is the fake, every DISABLE switch) each one runs in.
/// Shared by the tests and the benchmark, so both drive the CLIs the same way.
/// </summary>
public static class AgentRecipe
{
    /// <summary>The model id the daemons' config offers (provider <c>fake</c>, model <c>fake-model</c>).</summary>
    public const string DaemonModel = "fake/fake-model";

    /// <summary>The pinned binary of <paramref name="kind"/> (opencode, kilo or claude) under tests/backends/node_modules.</summary>
    public static string BinaryPath(string repoRoot, string kind)
    {
        var modules = Path.Combine(repoRoot, "tests", "backends", "node_modules");
        return kind switch
        {
            "opencode" => Path.Combine(modules, "opencode-linux-x64", "bin", "opencode"),
            "kilo" => Path.Combine(modules, "@kilocode", "cli-linux-x64", "bin", "kilo"),
            "claude" => Path.Combine(modules, "@anthropic-ai", "claude-code-linux-x64", "claude"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "opencode, kilo or claude"),
        };
    }

    /// <summary>
    /// The complete environment of an <c>opencode serve</c> / <c>kilo serve</c> under <paramref name="root"/>: creates
    /// home, config, data, cache, state and work there and writes the config pointing at <paramref name="fakeV1"/>.
    /// </summary>
    public static Dictionary<string, string> DaemonEnvironment(string kind, string root, Uri fakeV1)
    {
        var configPath = Path.Combine(root, "daemon-config.json");
        var environment = OfflineEnvironment(kind, root, configPath);
        File.WriteAllText(configPath, DaemonConfig(fakeV1.ToString()));
        return environment;
    }

    /// <summary>
    /// The isolated, offline environment of any opencode or kilo command (serve, run) under <paramref name="root"/>,
    /// reading its config from <paramref name="configPath"/>: creates home, config, data, cache, state and work there,
    /// sets every DISABLE switch, and pre-provides the plugin package the CLI would otherwise npm-install into its config
    /// directory from the public registry in the background.
    /// </summary>
    /// <remarks>
    /// Both CLIs install <c>@opencode-ai/plugin</c> (kilo: <c>@kilocode/plugin</c>) into every config directory they
    /// load, unless that directory already has a <c>node_modules</c> and a <c>package-lock.json</c> naming the package:
    /// an empty <c>node_modules</c> and a lock that names it keep them off the network (the package only types user
    /// plugins, which these runs have none of). Their own provider packages, <c>@ai-sdk/openai-compatible</c> among them,
    /// are bundled in the binary and never installed.
    /// </remarks>
    public static Dictionary<string, string> OfflineEnvironment(string kind, string root, string configPath)
    {
        foreach (var directory in new[] { "home", "config", "data", "cache", "state", "work" })
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }
        var configDirectory = Path.Combine(root, "config", kind);
        Directory.CreateDirectory(Path.Combine(configDirectory, "node_modules"));
        File.WriteAllText(Path.Combine(configDirectory, "package-lock.json"), $$"""
            { "lockfileVersion": 3, "packages": { "": { "dependencies": { "{{PluginPackage(kind)}}": "*" } } } }
            """);

        var upper = kind.ToUpperInvariant();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Path.Combine(root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(root, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(root, "data"),
            ["XDG_CACHE_HOME"] = Path.Combine(root, "cache"),
            ["XDG_STATE_HOME"] = Path.Combine(root, "state"),
            [upper + "_CONFIG"] = configPath,
        };
        var disabled = new List<string>
        {
            "DISABLE_MODELS_FETCH", "DISABLE_AUTOUPDATE", "DISABLE_SHARE", "DISABLE_LSP_DOWNLOAD", "DISABLE_DEFAULT_PLUGINS",
            "DISABLE_CLAUDE_CODE", "DISABLE_EXTERNAL_SKILLS", "DISABLE_EMBEDDED_WEB_UI", "DISABLE_PROJECT_CONFIG",
        };
        if (kind == "kilo")
        {
            disabled.AddRange(["DISABLE_SESSION_INGEST", "DISABLE_PRESENCE", "DISABLE_CODEBASE_INDEXING"]);
            environment["KILO_NO_DAEMON"] = "1";
            environment["KILO_TELEMETRY_LEVEL"] = "off";
        }
        foreach (var name in disabled)
        {
            environment[upper + "_" + name] = "1";
        }
        return environment;
    }

    private static string PluginPackage(string kind) => kind switch
    {
        "opencode" => "@opencode-ai/plugin",
        "kilo" => "@kilocode/plugin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "opencode or kilo"),
    };

    /// <summary>
    /// What Claude Code needs to talk to the fake at <paramref name="fakeOrigin"/> (scheme, host and port): a private
    /// HOME and config dir, a fake key, and no CLI retries so failures are quick.
    /// </summary>
    public static Dictionary<string, string> ClaudeEnvironment(string home, string fakeOrigin) => new(StringComparer.Ordinal)
    {
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        ["HOME"] = home,
        ["CLAUDE_CONFIG_DIR"] = Path.Combine(home, ".claude"),
        ["ANTHROPIC_BASE_URL"] = fakeOrigin,
        ["ANTHROPIC_API_KEY"] = "sk-ant-fake-test-key",
        ["CLAUDE_CODE_MAX_RETRIES"] = "0",
    };

    private static string DaemonConfig(string fakeV1) => $$"""
        { "autoupdate": false, "share": "disabled", "enabled_providers": ["fake"],
          "model": "fake/fake-model", "small_model": "fake/fake-model",
          "provider": { "fake": { "npm": "@ai-sdk/openai-compatible", "name": "Fake LLM",
            "options": { "baseURL": "{{fakeV1}}", "apiKey": "fake-key" },
            "models": { "fake-model": { "name": "Fake Model", "tool_call": true,
                                        "limit": { "context": 128000, "output": 4096 } } } } } }
        """;
}
