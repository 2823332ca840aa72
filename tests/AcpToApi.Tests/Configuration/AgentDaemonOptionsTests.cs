using AcpToApi.Configuration;
using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Configuration;

/// <summary>The agent-daemon settings resolve like every other: flag &gt; environment variable &gt; config file &gt; default.</summary>
public sealed class AgentDaemonOptionsTests
{
    [Fact]
    public void DefaultsAreRejectAndNoAutoLaunch()
    {
        var settings = TestSettings.Load();
        var kilo = BackendCatalog.AgentDaemon(settings, "kilo", settings.Server.Kilo);

        Assert.Equal("reject", kilo.AgentPermission);
        Assert.False(kilo.AutoLaunch);
        Assert.Equal(new Uri("http://127.0.0.1:4780"), settings.Server.Kilo);
        Assert.Equal(new Uri("http://127.0.0.1:4790"), settings.Server.Opencode);
    }

    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFile() => TestSettings.WithConfigFile(
        """{ "autoLaunch": true, "agentPermission": "always", "kilo": "http://127.0.0.1:1111" }""", config =>
    {
        var env = new Dictionary<string, string> { ["ACPTOAPI_AUTO_LAUNCH"] = "false", ["ACPTOAPI_AGENT_PERMISSION"] = "Once" };
        var fromFile = TestSettings.Load(new() { ["config"] = config });
        var fromEnv = TestSettings.Load(new() { ["config"] = config }, env);
        var fromFlag = TestSettings.Load(new() { ["config"] = config, ["autoLaunch"] = "true", ["agentPermission"] = "reject" }, env);

        var kilo = BackendCatalog.AgentDaemon(fromFile, "kilo", fromFile.Server.Kilo);
        Assert.True(kilo.AutoLaunch);
        Assert.Equal("always", kilo.AgentPermission);
        Assert.Equal(new Uri("http://127.0.0.1:1111"), kilo.BaseUrl);
        Assert.False(BackendCatalog.AgentDaemon(fromEnv, "opencode", fromEnv.Server.Opencode).AutoLaunch);
        Assert.Equal("once", BackendCatalog.AgentDaemon(fromEnv, "opencode", fromEnv.Server.Opencode).AgentPermission); // as the daemon spells it
        Assert.True(BackendCatalog.AgentDaemon(fromFlag, "kilo", fromFlag.Server.Kilo).AutoLaunch);
        Assert.Equal("reject", BackendCatalog.AgentDaemon(fromFlag, "kilo", fromFlag.Server.Kilo).AgentPermission);
    });

    [Fact]
    public void UnknownPermissionAnswerIsRefused()
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["agentPermission"] = "maybe" }));

        Assert.Contains("reject, once or always", error.Message, StringComparison.Ordinal);
    }
}
