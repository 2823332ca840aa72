using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AnthropicSdk;

/// <summary>The official Anthropic .NET SDK against the gateway's /v1/messages.</summary>
public sealed class AnthropicEchoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static AnthropicClient Client(GatewayServer server) => new(new ClientOptions
    {
        BaseUrl = server.BaseUrl.ToString().TrimEnd('/'),
        ApiKey = "none",
        MaxRetries = 0,
    });

    [Fact]
    public async Task NonStreamingMessage()
    {
        await using var server = await GatewayServer.StartAsync();

        var message = await Client(server).Messages.Create(new MessageCreateParams
        {
            MaxTokens = 100,
            Model = "echo/hello",
            System = "be brief",
            Messages = [new UserMessageParam("hi there friend")],
        }, Ct);

        Assert.Equal("hi there friend", string.Concat(message.Content.Select(b => b.Value).OfType<TextBlock>().Select(b => b.Text)));
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal("echo/hello", message.Model.Raw());
        Assert.Equal(3, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task StreamingTextAndThinking()
    {
        await using var server = await GatewayServer.StartAsync();

        var text = new List<string>();
        var thinking = new List<string>();
        await foreach (var e in Client(server).Messages.CreateStreaming(new MessageCreateParams
        {
            MaxTokens = 100,
            Model = "echo/x+think",
            Messages = [new UserMessageParam("one two three")],
            Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 },
        }, Ct))
        {
            if (e.TryPickContentBlockDelta(out var delta))
            {
                if (delta.Delta.TryPickText(out var t)) text.Add(t.Text);
                if (delta.Delta.TryPickThinking(out var th)) thinking.Add(th.Thinking);
            }
        }

        Assert.Equal(["one ", "two ", "three"], text);
        Assert.NotEmpty(thinking);
    }
}
