using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// <c>--inline-io</c> changes which threads run a request, never what the client sees: a stream is frame for frame
/// the same, and a stalled backend still gets keep-alives, with the setting on (the default) and off.
/// </summary>
public sealed class InlineIoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamsWordByWordEitherWay(bool inlineIo)
    {
        await using var server = await GatewayServer.StartAsync(settings: new() { ["inlineIo"] = inlineIo ? "true" : "false" });
        using var http = server.CreateHttpClient();

        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            """{"model":"echo/delay=20","stream":true,"messages":[{"role":"user","content":"one two three four"}]}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal(["one ", "two ", "three ", "four"], RawSse.ContentDeltas(frames)); // one frame per word, none merged
        Assert.Equal("[DONE]", frames[^1].Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KeepAlivesStillFlowDuringASilence(bool inlineIo)
    {
        var clock = new FakeClock();
        var keepAlive = TimeSpan.FromSeconds(1);
        await using var server = await GatewayServer.StartAsync(settings: new() { ["inlineIo"] = inlineIo ? "true" : "false", ["keepAliveSeconds"] = "1" }, time: clock);
        using var http = server.CreateHttpClient();

        var body = await EchoSilence.StreamAsync(http, clock, "/v1/chat/completions",
            """{"model":"echo/delay=5000","stream":true,"messages":[{"role":"user","content":"slow words"}]}""",
            TimeSpan.FromSeconds(5), keepAlive, "\"content\":\"slow \"", ": keep-alive");

        Assert.Contains("\"content\":\"slow \"", body, StringComparison.Ordinal);
        Assert.Contains(": keep-alive", body[body.IndexOf("\"content\":\"slow \"", StringComparison.Ordinal)..body.IndexOf("\"content\":\"words\"", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void OnByDefaultAndEveryLayerCanTurnItOff() => TestSettings.WithConfigFile("""{ "inlineIo": false }""", file =>
    {
        Assert.True(TestSettings.Load().Server.InlineIo);

        var fromFile = new Dictionary<string, string> { ["ACPTOAPI_CONFIG"] = file };
        Assert.False(TestSettings.Load(environment: fromFile).Server.InlineIo);

        var envOverFile = new Dictionary<string, string>(fromFile) { ["ACPTOAPI_INLINE_IO"] = "true" };
        Assert.True(TestSettings.Load(environment: envOverFile).Server.InlineIo);

        Assert.False(TestSettings.Load(new() { ["inlineIo"] = "false" }, envOverFile).Server.InlineIo);
    });

    /// <summary>
    /// The runtime's half of the setting is a process property, set only by the program's entry point: a gateway built
    /// in-process (as every test builds one) leaves the variable as the process had it, and /debug/config says what that is.
    /// </summary>
    [Fact]
    public async Task AGatewayBuiltInProcessLeavesTheRuntimeVariableAlone()
    {
        GatewayServer.RequireInProcess("builds the gateway in its own process to check that process's environment");
        var before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);

        await using var server = await GatewayServer.StartAsync(settings: new() { ["inlineIo"] = "true" });
        using var http = server.CreateHttpClient();
        var config = await http.GetStringAsync("/debug/config", Ct);

        Assert.Equal(before, Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable));
        Assert.Contains("\"inlineIo\":true", config, StringComparison.Ordinal);
        Assert.Contains($"\"inlineSocketCompletions\":{(before == "1" ? "true" : "false")}", config, StringComparison.Ordinal);
    }
}
