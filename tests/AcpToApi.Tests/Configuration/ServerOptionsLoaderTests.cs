using AcpToApi.Configuration;

namespace AcpToApi.Tests.Configuration;

public sealed class ServerOptionsLoaderTests
{
    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFileBeatsDefault()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "port": 1111, "host": "127.0.0.2", "kilo": "http://127.0.0.1:9999", "idleTimeoutSeconds": 7, /* comments allowed */ }""");
            var env = new Dictionary<string, string> { ["PORT"] = "2222", ["ACPTOAPI_HOST"] = "127.0.0.3", ["ACPTOAPI_CONFIG"] = file };

            var options = ServerOptionsLoader.Load(new CommandLineFlags { Port = 3333 }, env);

            Assert.Equal(3333, options.Port);               // flag
            Assert.Equal("127.0.0.3", options.Host);        // environment
            Assert.Equal(new Uri("http://127.0.0.1:9999"), options.KiloUrl); // config file
            Assert.Equal(TimeSpan.FromSeconds(7), options.IdleTimeout);
            Assert.Equal(new Uri("http://127.0.0.1:4790"), options.OpenCodeUrl); // default
            Assert.Equal("claude", options.ClaudeBin);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DefaultsMatchTheReadme()
    {
        var options = ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string>());

        Assert.Equal(4800, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(new Uri("http://127.0.0.1:4780"), options.KiloUrl);
        Assert.Equal(new Uri("http://127.0.0.1:4790"), options.OpenCodeUrl);
        Assert.Null(options.ApiKey);
        Assert.Empty(options.CorsOrigins);
    }

    [Fact]
    public void NonLoopbackWithoutKeyIsRefusedUnlessExplicitlyAllowed()
    {
        var error = Assert.Throws<OptionsException>(() => ServerOptionsLoader.Load(new CommandLineFlags { Host = "0.0.0.0" }, new Dictionary<string, string>()));
        Assert.Contains("--api-key", error.Message);

        Assert.Equal("0.0.0.0", ServerOptionsLoader.Load(new CommandLineFlags { Host = "0.0.0.0", ApiKey = "k" }, new Dictionary<string, string>()).Host);
        Assert.True(ServerOptionsLoader.Load(new CommandLineFlags { Host = "0.0.0.0" },
            new Dictionary<string, string> { ["ACPTOAPI_ALLOW_REMOTE_WITHOUT_KEY"] = "true" }).AllowRemoteWithoutKey);
    }

    [Theory]
    [InlineData("PORT", "eighty")]
    [InlineData("ACPTOAPI_KILO_URL", "ftp://x")]
    [InlineData("ACPTOAPI_IDLE_TIMEOUT", "-1")]
    [InlineData("ACPTOAPI_CONFIG", "/nonexistent/acptoapi.json")]
    public void BadSettingsAreClearErrors(string variable, string value)
    {
        var error = Assert.Throws<OptionsException>(() => ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string> { [variable] = value }));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
