using System.ClientModel;
using AcpToApi.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.OpenAISdk;

/// <summary>The official OpenAI .NET SDK against the built-in echo backend, over real Kestrel.</summary>
public sealed class EchoChatTests
{
    private static ChatClient Client(GatewayServer server, string model) =>
        new(model, new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = server.OpenAIEndpoint });

    [Fact]
    public async Task NonStreamingEchoesTheLastUserMessageWithUsage()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = Client(server, "echo/hello");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage("first"), new AssistantChatMessage("ok"), new UserChatMessage("hi there friend")],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("hi there friend", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal("echo/hello", completion.Model);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(7, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task StreamingSendsOneFramePerWordThenUsage()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = Client(server, "echo/hello");

        var (deltas, usage, finish, ids) = await StreamedChat.CollectAsync(client.CompleteChatStreamingAsync([new UserChatMessage("one two  three")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["one ", "two  ", "three"], deltas);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.Single(ids);
    }

    [Fact]
    public async Task ToolCallRoundTripThroughTheSdk()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = Client(server, "echo/tool");
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("Paris")];

        ChatCompletion first = await client.CompleteChatAsync(messages, options, TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "sunny, 21 C"));
        ChatCompletion second = await client.CompleteChatAsync(messages, options, TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("sunny, 21 C", second.Content.Single().Text);
    }

    [Fact]
    public async Task StreamedToolCallArrivesWithStableIndexAndName()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = Client(server, "echo/tool");
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("lookup") } };

        var updates = new List<StreamingChatToolCallUpdate>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("find me")], options, TestContext.Current.CancellationToken))
        {
            updates.AddRange(update.ToolCallUpdates);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.All(updates, u => Assert.Equal(0, u.Index));
        Assert.Equal("lookup", updates[0].FunctionName);
        Assert.StartsWith("call_", updates[0].ToolCallId);
        Assert.Equal("""{"text":"find me"}""", string.Concat(updates.Select(u => u.FunctionArgumentsUpdate?.ToString())));
    }

    [Fact]
    public async Task UnknownModelIsA404ThatNamesTheKnownPrefixes()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = Client(server, "nosuch/model");

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message);
        Assert.Contains("echo/", error.Message);
    }

    [Fact]
    public async Task RequestedErrorStatusReachesTheSdkWithRetryAfter()
    {
        await using var server = await GatewayServer.StartAsync();
        var client = new ChatClient("echo/x+error=429", new ApiKeyCredential("none"),
            new OpenAIClientOptions { Endpoint = server.OpenAIEndpoint, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(429, error.Status);
        Assert.Equal("1", error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter) ? retryAfter : null);
    }
}
