namespace AcpToApi.Tests.Infrastructure;

/// <summary>The pinned agent CLIs (and Codex, a client) installed by ./test.sh under tests/backends/node_modules (platform binaries, called directly).</summary>
public static class BackendBinaries
{
    private static string NodeModules => Path.Combine(TestEnvironment.RepoRoot, "tests", "backends", "node_modules");

    public static string Claude => Path.Combine(NodeModules, "@anthropic-ai", "claude-code-linux-x64", "claude");

    public static string OpenCode => Path.Combine(NodeModules, "opencode-linux-x64", "bin", "opencode");

    public static string Kilo => Path.Combine(NodeModules, "@kilocode", "cli-linux-x64", "bin", "kilo");

    /// <summary>Codex CLI (a Responses API client, not a backend): the native binary the npm launcher would exec.</summary>
    public static string Codex => Path.Combine(NodeModules, "@openai", "codex-linux-x64", "vendor", "x86_64-unknown-linux-musl", "bin", "codex");

    /// <summary>Fails in CI, skips loudly elsewhere, when the binary is not installed.</summary>
    public static string Require(string path)
    {
        TestEnvironment.Require(File.Exists(path), $"the pinned backend binary {Path.GetFileName(path)} ({path})");
        return path;
    }
}
