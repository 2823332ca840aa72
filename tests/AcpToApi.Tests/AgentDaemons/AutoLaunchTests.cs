using System.ClientModel;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>--auto-launch: nothing listens at the configured URL, the binary is on PATH; the gateway starts it and stops it on exit.</summary>
public sealed class AutoLaunchTests
{
    [Theory]
    [InlineData("opencode")]
    [InlineData("kilo")]
    public async Task DaemonIsStartedOnFirstUseAndStoppedWithTheGateway(string kind)
    {
        TestEnvironment.Require(AgentDaemon.IsInstalled(kind), $"the pinned {kind} binary ({AgentDaemon.BinaryPath(kind)})");
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var root = Directory.CreateTempSubdirectory($"acptoapi-autolaunch-{kind}-").FullName;
        try
        {
            var environment = AgentDaemon.BuildEnvironment(kind, root, fake);
            environment["PATH"] = Path.GetDirectoryName(AgentDaemon.BinaryPath(kind)) + Path.PathSeparator + environment["PATH"];
            var url = new Uri($"http://127.0.0.1:{AgentDaemon.FreePort()}");
            var gateway = await GatewayServer.StartAsync(environment, new() { [kind] = url.ToString(), ["autoLaunch"] = "true" });
            try
            {
                var client = new ChatClient(kind + "/" + AgentDaemon.FakeModel, new ApiKeyCredential("none"),
                    new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint, NetworkTimeout = TimeSpan.FromSeconds(90) });

                ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: ct);

                Assert.Equal("Hello from fake", completion.Content.Single().Text);
            }
            finally
            {
                await gateway.DisposeAsync();
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "global/health"), ct));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}
