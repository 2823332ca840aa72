using AcpToApi.Configuration;
using AcpToApi.Hosting;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>The claude settings: flag &gt; environment variable &gt; config file &gt; default, and what reaches the backend.</summary>
public sealed class ClaudeOptionsTests
{
    private static async Task<CommandLineFlags> ParseAsync(params string[] args)
    {
        CommandLineFlags? captured = null;
        var exit = await AcpToApi.Configuration.CommandLine.Build((flags, _) =>
        {
            captured = flags;
            return Task.FromResult(0);
        }).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        return captured!;
    }

    [Fact]
    public async Task FlagsParse()
    {
        var flags = await ParseAsync("--claude-tools", "--claude-agent-prompt", "--claude-max-concurrency", "2", "--claude-queue-timeout", "0.5");

        Assert.True(flags.ClaudeTools);
        Assert.True(flags.ClaudeAgentPrompt);
        Assert.Equal(2, flags.ClaudeMaxConcurrency);
        Assert.Equal(0.5, flags.ClaudeQueueTimeoutSeconds);
    }

    [Fact]
    public void DefaultsAreSandboxedWithFourSlots()
    {
        var options = ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string>());
        var claude = BackendCatalog.ClaudeOptions(options);

        Assert.False(claude.EnableTools);
        Assert.False(claude.KeepAgentPrompt);
        Assert.Equal(4, claude.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), claude.QueueTimeout);
        Assert.Equal("claude", claude.Executable);
        Assert.Equal(options.IdleTimeout, claude.IdleTimeout);
    }

    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "claudeTools": true, "claudeAgentPrompt": true, "claudeMaxConcurrency": 7, "claudeQueueTimeoutSeconds": 9 }""");
            var env = new Dictionary<string, string>
            {
                ["ACPTOAPI_CONFIG"] = file,
                ["ACPTOAPI_CLAUDE_AGENT_PROMPT"] = "false",
                ["ACPTOAPI_CLAUDE_MAX_CONCURRENCY"] = "3",
            };

            var options = ServerOptionsLoader.Load(new CommandLineFlags { ClaudeMaxConcurrency = 1 }, env);

            Assert.True(options.ClaudeTools);                                 // config file
            Assert.False(options.ClaudeAgentPrompt);                          // environment
            Assert.Equal(1, options.ClaudeMaxConcurrency);                    // flag
            Assert.Equal(TimeSpan.FromSeconds(9), options.ClaudeQueueTimeout); // config file
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("ACPTOAPI_CLAUDE_MAX_CONCURRENCY", "0")]
    [InlineData("ACPTOAPI_CLAUDE_MAX_CONCURRENCY", "many")]
    [InlineData("ACPTOAPI_CLAUDE_QUEUE_TIMEOUT", "-1")]
    [InlineData("ACPTOAPI_CLAUDE_TOOLS", "perhaps")]
    public void BadSettingsAreClearErrors(string variable, string value)
    {
        var error = Assert.Throws<OptionsException>(() =>
            ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string> { [variable] = value }));

        Assert.NotEmpty(error.Message);
    }
}
