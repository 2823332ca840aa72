using AcpToApi.Configuration;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Configuration;

/// <summary>The command line made from the settings catalog: what it accepts, what it gives, what its help says.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task SwitchesWorkBareOrWithAValueListsRepeatAndPortHasItsShortAlias()
    {
        var given = await TestSettings.ParseCommandLineAsync("-p", "5000", "--claude-tools", "--inline-io", "false", "--cors-origin", "http://a", "--cors-origin", "http://b");
        var options = SettingsLoader.Load(given, new Dictionary<string, string>()).Server;

        Assert.Equal("true", given["claudeTools"]);
        Assert.Equal(5000, options.Port);
        Assert.False(options.InlineIo);
        Assert.Equal(["http://a", "http://b"], options.CorsOrigins);
    }

    [Fact]
    public async Task WhatIsNotGivenIsLeftToTheLowerLayers()
    {
        var given = await TestSettings.ParseCommandLineAsync("--port", "1");

        Assert.Equal(["port"], given.Keys);
        Assert.Equal(4781, SettingsLoader.Load(given, new Dictionary<string, string> { ["ACPTOAPI_KILO_URL"] = "http://127.0.0.1:4781" }).Server.Kilo.Port);
    }

    [Fact]
    public async Task HelpListsEveryFlagWithItsDefaultAndVariable()
    {
        var output = new StringWriter();
        var exit = await AcpToApi.Configuration.CommandLine.Build((_, _) => Task.FromResult(0)).Parse(["--help"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output }, TestContext.Current.CancellationToken);
        var help = output.ToString();

        Assert.Equal(0, exit);
        foreach (var setting in SettingsCatalog.All.Where(s => s.Flag is not null))
        {
            Assert.Contains(setting.Flag!, help, StringComparison.Ordinal);
            Assert.Contains($"[env {setting.EnvironmentVariable}", help, StringComparison.Ordinal);
        }
        Assert.Contains("-p, --port", help, StringComparison.Ordinal);
        Assert.Contains("(default 120 (ollama 300))", help, StringComparison.Ordinal);
    }
}
