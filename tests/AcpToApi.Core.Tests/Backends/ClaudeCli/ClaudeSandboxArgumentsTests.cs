using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;

namespace AcpToApi.Tests.Backends.ClaudeCli;

public sealed class ClaudeSandboxArgumentsTests
{
    [Fact]
    public void DefaultArgumentsAreTheVerifiedSandbox()
    {
        var args = ClaudeArguments.Build(new ClaudeCliOptions(), new ClaudeLaunch("sonnet", ClaudePlacements.Replace, "/tmp/x/system-prompt.txt"));

        Assert.Equal(
        [
            "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "--input-format", "stream-json",
            "--model", "sonnet", "--strict-mcp-config", "--mcp-config", """{"mcpServers":{}}""", "--setting-sources", "",
            "--disable-slash-commands", "--no-session-persistence", "--tools", "", "--system-prompt-file", "/tmp/x/system-prompt.txt",
        ], args);
    }

    [Fact]
    public void ClientToolsAddOnlyTheGatewaysMcpServerAndAllowOnlyItsTools()
    {
        var args = ClaudeArguments.Build(new ClaudeCliOptions(),
            new ClaudeLaunch("sonnet", ClaudePlacements.User, "/p", new Uri("http://127.0.0.1:4800/mcp/abc"), ResumeSessionId: "sid-1"));

        Assert.Equal("""{"mcpServers":{"gw":{"type":"http","url":"http://127.0.0.1:4800/mcp/abc"}}}""", args[args.IndexOf("--mcp-config") + 1]);
        Assert.Contains("--strict-mcp-config", args);
        Assert.Equal("mcp__gw", args[args.IndexOf("--allowedTools") + 1]);
        Assert.Equal("", args[args.IndexOf("--tools") + 1]); // none of Claude Code's own tools
        Assert.Equal("sid-1", args[args.IndexOf("--resume") + 1]);
        Assert.Contains("--no-session-persistence", args);
        // Placement user: Claude Code's own system prompt stays; the client's instructions go into the first user turn.
        Assert.DoesNotContain(args, a => a.Contains("system-prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void OperatorOptionsChangeToolsAndPlacement()
    {
        var args = ClaudeArguments.Build(new ClaudeCliOptions { ClaudeTools = true }, new ClaudeLaunch("opus", ClaudePlacements.Append, "/p"));

        Assert.DoesNotContain("--tools", args);
        Assert.Contains("--append-system-prompt-file", args);
        Assert.DoesNotContain("--system-prompt-file", args);
        Assert.DoesNotContain("--allowedTools", args);
    }

    [Fact]
    public void EnvironmentKeepsOnlyWhatTheCliNeeds()
    {
        var env = ClaudeEnvironment.Build(new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/home/u",
            ["ANTHROPIC_API_KEY"] = "sk-ant",
            ["CLAUDE_CONFIG_DIR"] = "/home/u/.claude",
            ["HTTPS_PROXY"] = "http://proxy",
            ["LC_ALL"] = "C.UTF-8",
            ["AWS_REGION"] = "eu-west-1",
            ["OPENAI_API_KEY"] = "sk-openai",
            ["ACPTOAPI_API_KEY"] = "gateway-secret",
            ["SOME_OTHER"] = "x",
        }, defaultMaxRetries: 2);

        Assert.Equal("sk-ant", env["ANTHROPIC_API_KEY"]);
        Assert.Equal("/home/u/.claude", env["CLAUDE_CONFIG_DIR"]);
        Assert.Equal("http://proxy", env["HTTPS_PROXY"]);
        Assert.Equal("C.UTF-8", env["LC_ALL"]);
        Assert.Equal("eu-west-1", env["AWS_REGION"]);
        Assert.False(env.ContainsKey("OPENAI_API_KEY"));
        Assert.False(env.ContainsKey("ACPTOAPI_API_KEY"));
        Assert.False(env.ContainsKey("SOME_OTHER"));
        Assert.Equal("1", env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"]);
        Assert.Equal("1", env["DISABLE_AUTOUPDATER"]);
        Assert.Equal("1", env["DISABLE_TELEMETRY"]);
        Assert.Equal("1", env["DISABLE_ERROR_REPORTING"]);
        Assert.Equal("2", env["CLAUDE_CODE_MAX_RETRIES"]);
        // The gateway's MCP server is connected before the first request, never deferred, never cut while parked.
        Assert.Equal(("false", "false", "0"), (env["MCP_CONNECTION_NONBLOCKING"], env["ENABLE_TOOL_SEARCH"], env["CLAUDE_CODE_MCP_TOOL_IDLE_TIMEOUT"]));
    }

    [Fact]
    public void TheGatewaysLoopTokenIsAddedToTheOperatorsCustomHeaders()
    {
        const string Proxy = "http://127.0.0.1:4800";
        Assert.Equal("x-acptoapi-loop: t1",
            ClaudeEnvironment.Build(new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = Proxy }, 2, loopToken: "t1")["ANTHROPIC_CUSTOM_HEADERS"]);
        var both = ClaudeEnvironment.Build(new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = Proxy, ["ANTHROPIC_CUSTOM_HEADERS"] = "x-team: a\n" }, 2, loopToken: "t2");
        Assert.Equal("x-team: a\nx-acptoapi-loop: t2", both["ANTHROPIC_CUSTOM_HEADERS"]);
        Assert.False(ClaudeEnvironment.Build(new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = Proxy }, 2).ContainsKey("ANTHROPIC_CUSTOM_HEADERS"));
        // A CLI talking to Anthropic itself cannot come back here: Anthropic is sent no such header.
        Assert.False(ClaudeEnvironment.Build(new Dictionary<string, string>(), 2, loopToken: "t3").ContainsKey("ANTHROPIC_CUSTOM_HEADERS"));
    }

    [Fact]
    public void TheOperatorsRetryBoundWins() =>
        Assert.Equal("0", ClaudeEnvironment.Build(new Dictionary<string, string> { ["CLAUDE_CODE_MAX_RETRIES"] = "0" }, 2)["CLAUDE_CODE_MAX_RETRIES"]);

    [Theory]
    [InlineData("sonnet")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("claude-opus-4-1[1m]")]
    public void ModelNamesAndIdsAreAccepted(string model) => Assert.Equal(model, ClaudeModelName.Validate(model));

    [Theory]
    [InlineData("--help")]
    [InlineData("-p")]
    [InlineData("sonnet --tools Bash")]
    [InlineData("")]
    public void AnythingThatCouldBeAnOptionIsRejected(string model) =>
        Assert.Equal(400, Assert.Throws<ChatBackendException>(() => ClaudeModelName.Validate(model)).HttpStatus);
}
