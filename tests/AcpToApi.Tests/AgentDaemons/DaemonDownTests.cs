using System.ClientModel;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>No daemon at the configured URL: a 503 that names the URL and how to start it. Needs nothing installed.</summary>
public sealed class DaemonDownTests
{
    [Theory]
    [InlineData("kilo/fake/fake-model", "kilo serve")]
    [InlineData("some-bare-model", "kilo serve")]
    [InlineData("opencode/fake/fake-model", "opencode serve")]
    public async Task UnreachableDaemonIs503NamingTheUrl(string model, string startCommand)
    {
        var port = AgentDaemon.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        await using var server = await GatewayServer.StartAsync(settings: new() { ["kilo"] = url.ToString(), ["opencode"] = url.ToString() });
        var client = new ChatClient(model, new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = server.OpenAIEndpoint });

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage("hello")], cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(503, error.Status);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains(startCommand, error.Message, StringComparison.Ordinal);
    }
}
