using AcpToApi.Configuration;

namespace AcpToApi.Tests.Configuration;

/// <summary>The agent-daemon settings resolve like every other: flag &gt; environment variable &gt; config file &gt; default.</summary>
public sealed class AgentDaemonOptionsTests
{
    [Fact]
    public void DefaultsAreRejectAndNoAutoLaunch()
    {
        var options = ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string>());

        Assert.Equal("reject", options.AgentPermission);
        Assert.False(options.AutoLaunch);
        Assert.Equal(new Uri("http://127.0.0.1:4780"), options.KiloUrl);
        Assert.Equal(new Uri("http://127.0.0.1:4790"), options.OpenCodeUrl);
    }

    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFile()
    {
        var config = Path.Combine(Path.GetTempPath(), $"acptoapi-agents-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "autoLaunch": true, "agentPermission": "always", "kilo": "http://127.0.0.1:1111" }""");
        try
        {
            var fromFile = ServerOptionsLoader.Load(new CommandLineFlags { ConfigFile = config }, new Dictionary<string, string>());
            var fromEnv = ServerOptionsLoader.Load(new CommandLineFlags { ConfigFile = config },
                new Dictionary<string, string> { ["ACPTOAPI_AUTO_LAUNCH"] = "false", ["ACPTOAPI_AGENT_PERMISSION"] = "once" });
            var fromFlag = ServerOptionsLoader.Load(new CommandLineFlags { ConfigFile = config, AutoLaunch = true, AgentPermission = "reject" },
                new Dictionary<string, string> { ["ACPTOAPI_AUTO_LAUNCH"] = "false", ["ACPTOAPI_AGENT_PERMISSION"] = "once" });

            Assert.True(fromFile.AutoLaunch);
            Assert.Equal("always", fromFile.AgentPermission);
            Assert.Equal(new Uri("http://127.0.0.1:1111"), fromFile.KiloUrl);
            Assert.False(fromEnv.AutoLaunch);
            Assert.Equal("once", fromEnv.AgentPermission);
            Assert.True(fromFlag.AutoLaunch);
            Assert.Equal("reject", fromFlag.AgentPermission);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void UnknownPermissionAnswerIsRefused()
    {
        var error = Assert.Throws<OptionsException>(() =>
            ServerOptionsLoader.Load(new CommandLineFlags { AgentPermission = "maybe" }, new Dictionary<string, string>()));

        Assert.Contains("reject, once or always", error.Message, StringComparison.Ordinal);
    }
}
