using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;

namespace AcpToApi.Tests.Backends.ClaudeCli;

public sealed class ClaudeSandboxArgumentsTests
{
    [Fact]
    public void DefaultArgumentsAreTheVerifiedSandbox()
    {
        var args = ClaudeArguments.Build(new ClaudeCliOptions(), "sonnet", "/tmp/x/system-prompt.txt");

        Assert.Equal(
        [
            "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "--input-format", "stream-json",
            "--model", "sonnet", "--strict-mcp-config", "--mcp-config", """{"mcpServers":{}}""", "--setting-sources", "",
            "--disable-slash-commands", "--no-session-persistence", "--tools", "", "--system-prompt-file", "/tmp/x/system-prompt.txt",
        ], args);
    }

    [Fact]
    public void OperatorOptionsChangeToolsAndAgentPrompt()
    {
        var args = ClaudeArguments.Build(new ClaudeCliOptions { ClaudeTools = true, ClaudeAgentPrompt = true }, "opus", "/p");

        Assert.DoesNotContain("--tools", args);
        Assert.Contains("--append-system-prompt-file", args);
        Assert.DoesNotContain("--system-prompt-file", args);
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
