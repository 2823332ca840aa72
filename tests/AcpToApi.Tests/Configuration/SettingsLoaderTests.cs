using AcpToApi.Backends.Anthropic;
using AcpToApi.Configuration;
using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AcpToApi.Tests.Configuration;

/// <summary>Every setting resolves the same way: flag &gt; environment variable &gt; config file &gt; default, checked, then bound.</summary>
public sealed class SettingsLoaderTests
{
    [Fact]
    public void FlagBeatsEnvironmentBeatsConfigFileBeatsDefault() => TestSettings.WithConfigFile(
        """{ "port": 1111, "host": "127.0.0.2", "kilo": "http://127.0.0.1:9999", "idleTimeoutSeconds": 7, /* comments allowed */ }""", file =>
    {
        var env = new Dictionary<string, string> { ["PORT"] = "2222", ["ACPTOAPI_HOST"] = "127.0.0.3", ["ACPTOAPI_CONFIG"] = file };

        var settings = TestSettings.Load(new() { ["port"] = "3333" }, env);

        Assert.Equal(3333, settings.Server.Port);                                  // flag
        Assert.Equal("127.0.0.3", settings.Server.Host);                           // environment
        Assert.Equal(new Uri("http://127.0.0.1:9999"), settings.Server.Kilo);      // config file
        Assert.Equal(TimeSpan.FromSeconds(7), BackendCatalog.Claude(settings).IdleTimeout);
        Assert.Equal(new Uri("http://127.0.0.1:4790"), settings.Server.Opencode);  // default
        Assert.Equal("claude", BackendCatalog.Claude(settings).ClaudeBin);
        Assert.Equal(file, settings.Server.Config);
    });

    [Fact]
    public void DefaultsMatchTheReadme()
    {
        var options = TestSettings.Load().Server;

        Assert.Equal(4800, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(new Uri("http://127.0.0.1:4780"), options.Kilo);
        Assert.Equal(new Uri("http://127.0.0.1:4790"), options.Opencode);
        Assert.Null(options.ApiKey);
        Assert.Empty(options.CorsOrigins);
        Assert.Empty(options.Providers);
    }

    [Fact]
    public void NonLoopbackWithoutKeyIsRefusedUnlessExplicitlyAllowed()
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["host"] = "0.0.0.0" }));
        Assert.Contains("--api-key", error.Message);
        Assert.Contains("ACPTOAPI_API_KEY", error.Message);

        Assert.Equal("0.0.0.0", TestSettings.Load(new() { ["host"] = "0.0.0.0", ["apiKey"] = "k" }).Server.Host);
        Assert.True(TestSettings.Load(new() { ["host"] = "0.0.0.0" },
            new() { ["ACPTOAPI_ALLOW_REMOTE_WITHOUT_KEY"] = "true" }).Server.AllowRemoteWithoutKey);
    }

    [Theory]
    [InlineData("PORT", "eighty", "is not a whole number")]
    [InlineData("PORT", "70000", "out of range (0-65535)")]
    [InlineData("ACPTOAPI_KILO_URL", "ftp://x", "is not an http(s) URL")]
    [InlineData("ACPTOAPI_IDLE_TIMEOUT", "-1", "must be greater than 0")]
    [InlineData("ACPTOAPI_IDLE_TIMEOUT", "soon", "is not a number")]
    [InlineData("ACPTOAPI_LOG_LEVEL", "loud", "must be Trace, Debug, Information, Warning, Error, Critical or None")]
    [InlineData("ACPTOAPI_MAX_BODY_BYTES", "10", "must be at least 1024")]
    public void BadSettingsAreClearErrorsThatNameTheSettingEveryWay(string variable, string value, string problem)
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(environment: new() { [variable] = value }));

        var setting = SettingsCatalog.All.Single(s => s.EnvironmentVariable == variable);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}' from the environment", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting.Flag!, error.Message, StringComparison.Ordinal);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains("config key " + setting.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValuesFromTheFileAndTheCommandLineSayWhereTheyCameFrom()
    {
        TestSettings.WithConfigFile("""{ "port": 99999 }""", file =>
        {
            var error = Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["config"] = file }));
            Assert.Equal($"--port / PORT / config key port: '99999' from config file {file} is out of range (0-65535)", error.Message);
        });
        TestSettings.WithConfigFile("""{ "keepAliveSeconds": "often" }""", file =>
            Assert.Contains("is not a number", Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["config"] = file })).Message));

        var url = Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["opencode"] = "localhost:4790" }));
        Assert.Equal("--opencode / ACPTOAPI_OPENCODE_URL / config key opencode: 'localhost:4790' from the command line is not an http(s) URL", url.Message);
    }

    [Theory]
    [InlineData("{ \"port\": ")]
    [InlineData("[1, 2]")]
    [InlineData("port = 1")]
    public void AConfigFileThatIsNotAJsonObjectIsAClearError(string content) => TestSettings.WithConfigFile(content, file =>
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(environment: new() { ["ACPTOAPI_CONFIG"] = file }));
        Assert.StartsWith($"config file {file} is not valid JSON", error.Message, StringComparison.Ordinal);
    });

    [Fact]
    public void AMissingConfigFileIsAClearError()
    {
        var error = Assert.Throws<OptionsException>(() => TestSettings.Load(new() { ["config"] = "/nonexistent/acptoapi.json" }));
        Assert.Equal("config file not found: /nonexistent/acptoapi.json", error.Message);
    }

    [Fact]
    public void AListFromAHigherLayerReplacesTheLowerOneWhole() => TestSettings.WithConfigFile(
        """{ "corsOrigins": ["http://a", "http://b", "http://c"] }""", file =>
    {
        var env = new Dictionary<string, string> { ["ACPTOAPI_CONFIG"] = file };
        Assert.Equal(["http://a", "http://b", "http://c"], TestSettings.Load(environment: env).Server.CorsOrigins);

        env["ACPTOAPI_CORS_ORIGINS"] = "http://x, http://y";
        Assert.Equal(["http://x", "http://y"], TestSettings.Load(environment: env).Server.CorsOrigins);

        Assert.Equal(["http://z"], TestSettings.Load(new() { ["corsOrigins:0"] = "http://z" }, env).Server.CorsOrigins);
    });

    [Fact]
    public void ASharedSettingAppliesToEveryBackendOnlyWhenGivenElseEachKeepsItsOwnDefault()
    {
        var defaults = TestSettings.Load();
        Assert.Equal(TimeSpan.FromSeconds(300), BackendCatalog.Ollama(defaults).IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), BackendCatalog.Claude(defaults).IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), BackendCatalog.AgentDaemon(defaults, "kilo", defaults.Server.Kilo).IdleTimeout);

        var given = TestSettings.Load(environment: new() { ["ACPTOAPI_IDLE_TIMEOUT"] = "7" });
        Assert.Equal(TimeSpan.FromSeconds(7), BackendCatalog.Ollama(given).IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), BackendCatalog.Claude(given).IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), BackendCatalog.AgentDaemon(given, "kilo", given.Server.Kilo).IdleTimeout);
    }

    [Fact]
    public void BindingSetsOnlyDeclaredSettingsAndIgnoresUnknownKeys() => TestSettings.WithConfigFile(
        """{ "apiKey": "gateway-key", "idleTimeoutSeconds": 9, "baseUrl": "http://elsewhere", "environment": { "PATH": "/elsewhere" }, "somethingNew": 1 }""", file =>
    {
        var settings = TestSettings.Load(new() { ["config"] = file }, new() { ["PATH"] = "/usr/bin" });

        Assert.Equal("gateway-key", settings.Server.ApiKey);
        Assert.Equal("/usr/bin", settings.Server.Environment["PATH"]);
        Assert.Null(settings.Values["baseUrl"]);
        // The gateway's apiKey is not the Anthropic backend's key, though both options types have an ApiKey property.
        Assert.Equal(["idleTimeoutSeconds"], settings.For(typeof(AnthropicOptions)).AsEnumerable().Select(e => e.Key));
    });

    [Fact]
    public void AKeyTheCatalogDoesNotKnowIsRefused() =>
        Assert.Throws<ArgumentException>(() => TestSettings.Load(new() { ["idleTimeout"] = "5" }));
}
