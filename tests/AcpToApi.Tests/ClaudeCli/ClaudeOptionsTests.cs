using AcpToApi.Configuration;
using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>The claude settings: flag &gt; environment variable &gt; config file &gt; default, and what reaches the backend.</summary>
public sealed class ClaudeOptionsTests
{
    [Fact]
    public async Task FlagsParse()
    {
        var given = await TestSettings.ParseCommandLineAsync("--claude-tools", "--claude-agent-prompt", "--claude-max-concurrency", "2", "--claude-queue-timeout", "0.5");
        var claude = BackendCatalog.Claude(SettingsLoader.Load(given, new Dictionary<string, string>()));

        Assert.True(claude.ClaudeTools);
        Assert.True(claude.ClaudeAgentPrompt);
        Assert.Equal(2, claude.ClaudeMaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(0.5), claude.QueueTimeout);
    }

    [Fact]
    public void DefaultsAreSandboxedWithFourSlots()
    {
        var claude = BackendCatalog.Claude(TestSettings.Load());

        Assert.False(claude.ClaudeTools);
        Assert.False(claude.ClaudeAgentPrompt);
        Assert.Equal(4, claude.ClaudeMaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), claude.QueueTimeout);
        Assert.Equal("claude", claude.ClaudeBin);
        Assert.Equal(TimeSpan.FromSeconds(120), claude.IdleTimeout);
    }

    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFile() => TestSettings.WithConfigFile(
        """{ "claudeTools": true, "claudeAgentPrompt": true, "claudeMaxConcurrency": 7, "claudeQueueTimeoutSeconds": 9 }""", file =>
    {
        var env = new Dictionary<string, string>
        {
            ["ACPTOAPI_CONFIG"] = file,
            ["ACPTOAPI_CLAUDE_AGENT_PROMPT"] = "false",
            ["ACPTOAPI_CLAUDE_MAX_CONCURRENCY"] = "3",
        };

        var claude = BackendCatalog.Claude(TestSettings.Load(new() { ["claudeMaxConcurrency"] = "1" }, env));

        Assert.True(claude.ClaudeTools);                                 // config file
        Assert.False(claude.ClaudeAgentPrompt);                          // environment
        Assert.Equal(1, claude.ClaudeMaxConcurrency);                    // flag
        Assert.Equal(TimeSpan.FromSeconds(9), claude.QueueTimeout);      // config file
        Assert.Equal(env, claude.Environment);                           // not a setting: the environment as read
    });

    [Theory]
    [InlineData("ACPTOAPI_CLAUDE_MAX_CONCURRENCY", "0")]
    [InlineData("ACPTOAPI_CLAUDE_MAX_CONCURRENCY", "many")]
    [InlineData("ACPTOAPI_CLAUDE_QUEUE_TIMEOUT", "-1")]
    [InlineData("ACPTOAPI_CLAUDE_TOOLS", "perhaps")]
    public void BadSettingsAreClearErrors(string variable, string value)
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(environment: new() { [variable] = value }));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }
}
