using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.NodeSdk;

/// <summary>The official `@anthropic-ai/sdk` npm package against /v1/messages: echo and the openai/ backend.</summary>
public sealed class AnthropicNodeSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EchoStreamingThinkingAndToolRoundTrip()
    {
        NodeScript.RequireInstalled("@anthropic-ai/sdk");
        await using var gateway = await GatewayServer.StartAsync();

        var result = JsonDocument.Parse(await NodeScript.RunAsync("anthropic-sdk.mjs",
            [gateway.BaseUrl.ToString().TrimEnd('/'), "echo/x+think", "hello anthropic world", "echo/x+tool", "Paris"], Ct)).RootElement;

        Assert.Equal("hello anthropic world", result.GetProperty("whole").GetProperty("text").GetString());
        Assert.Equal("end_turn", result.GetProperty("whole").GetProperty("stop").GetString());
        Assert.Equal(["hello ", "anthropic ", "world"], result.GetProperty("streamed").GetProperty("textDeltas").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("The user wrote 3 words", result.GetProperty("streamed").GetProperty("thinking").GetString());
        Assert.Equal("echo-signature-3", result.GetProperty("streamed").GetProperty("signature").GetString());
        var tool = result.GetProperty("tool");
        Assert.Equal("tool_use", tool.GetProperty("stop").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("Paris", tool.GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("sunny, 21 C", tool.GetProperty("answer").GetString());
        Assert.Equal(404, result.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Equal("not_found_error", result.GetProperty("notFound").GetProperty("type").GetString());
        Assert.True(result.GetProperty("inputTokens").GetInt32() > 3);
    }

    [Fact]
    public async Task OpenAIBackendBehindTheAnthropicSdk()
    {
        NodeScript.RequireInstalled("@anthropic-ai/sdk");
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        await using var gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(fake));
        var thinking = new FakeScript { Reasoning = ["Pondering."], Tokens = ["Hi", " there"] }.ToDirective();
        var toolCall = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""")] }.ToDirective();

        var result = JsonDocument.Parse(await NodeScript.RunAsync("anthropic-sdk.mjs",
            [gateway.BaseUrl.ToString().TrimEnd('/'), "openai/fake-model", "Say hi " + thinking, "openai/fake-model", "Weather in Oslo? " + toolCall], Ct)).RootElement;

        Assert.Equal("Hi there", result.GetProperty("whole").GetProperty("text").GetString());
        Assert.Equal(["Hi", " there"], result.GetProperty("streamed").GetProperty("textDeltas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Pondering.", result.GetProperty("streamed").GetProperty("thinking").GetString());
        var tool = result.GetProperty("tool");
        Assert.Equal("tool_use", tool.GetProperty("stop").GetString());
        Assert.Equal("Oslo", tool.GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("Done after tool", tool.GetProperty("answer").GetString()); // the fake answers a tool result so
        var afterTool = fake.Requests.Last(r => r.Path == "/v1/chat/completions").Json!.Value.GetProperty("messages");
        Assert.Equal("tool", afterTool[afterTool.GetArrayLength() - 1].GetProperty("role").GetString());
        Assert.Equal("sunny, 21 C", afterTool[afterTool.GetArrayLength() - 1].GetProperty("content").GetString());
    }
}
