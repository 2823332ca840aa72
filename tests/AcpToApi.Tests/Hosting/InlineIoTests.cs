using AcpToApi.Configuration;
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
        await using var server = await GatewayServer.StartAsync(configure: o => o with { InlineIo = inlineIo });
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
        await using var server = await GatewayServer.StartAsync(configure: o => o with { InlineIo = inlineIo, KeepAliveInterval = keepAlive }, time: clock);
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
    public void OnByDefaultAndEveryLayerCanTurnItOff()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.True(ServerOptionsLoader.Load(new CommandLineFlags(), new Dictionary<string, string>()).InlineIo);

            File.WriteAllText(file, """{ "inlineIo": false }""");
            var fromFile = new Dictionary<string, string> { [EnvironmentVariables.Config] = file };
            Assert.False(ServerOptionsLoader.Load(new CommandLineFlags(), fromFile).InlineIo);

            var envOverFile = new Dictionary<string, string>(fromFile) { [EnvironmentVariables.InlineIo] = "true" };
            Assert.True(ServerOptionsLoader.Load(new CommandLineFlags(), envOverFile).InlineIo);

            Assert.False(ServerOptionsLoader.Load(new CommandLineFlags { InlineIo = false }, envOverFile).InlineIo);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
