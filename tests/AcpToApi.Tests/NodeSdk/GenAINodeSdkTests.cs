using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.NodeSdk;

/// <summary>The official `@google/genai` npm package against /v1beta: echo and the openai/ backend.</summary>
public sealed class GenAINodeSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EchoStreamingThinkingFunctionCallRoundTripCountAndList()
    {
        NodeScript.RequireInstalled("@google/genai");
        await using var gateway = await GatewayServer.StartAsync();

        var result = JsonDocument.Parse(await NodeScript.RunAsync("genai-sdk.mjs",
            [gateway.BaseUrl.ToString().TrimEnd('/'), "echo/x+think", "hello genai world", "echo/x+tool", "Paris"], Ct)).RootElement;

        var whole = result.GetProperty("whole");
        Assert.Equal("hello genai world", whole.GetProperty("text").GetString());
        Assert.Equal("STOP", whole.GetProperty("finish").GetString());
        Assert.Equal("echo/x+think", whole.GetProperty("modelVersion").GetString());
        var streamed = result.GetProperty("streamed");
        Assert.Equal(["hello ", "genai ", "world"], streamed.GetProperty("textDeltas").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("The user wrote 3 words", streamed.GetProperty("thoughts").GetString());
        Assert.Equal("echo-signature-3", streamed.GetProperty("signature").GetString());
        Assert.Equal("STOP", streamed.GetProperty("finish").GetString());
        Assert.Equal(16, streamed.GetProperty("usage").GetProperty("totalTokenCount").GetInt32());
        var tool = result.GetProperty("tool");
        Assert.Equal("STOP", tool.GetProperty("finish").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("Paris", tool.GetProperty("args").GetProperty("city").GetString());
        Assert.Equal("sunny, 21 C", tool.GetProperty("answer").GetString());
        Assert.Equal(404, result.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Contains("NOT_FOUND", result.GetProperty("notFound").GetProperty("message").GetString());
        Assert.Equal(7, result.GetProperty("totalTokens").GetInt32());
        Assert.Contains("models/echo/hello", result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task OpenAIBackendBehindTheGenAISdk()
    {
        NodeScript.RequireInstalled("@google/genai");
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        await using var gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(fake));
        var thinking = new FakeScript { Reasoning = ["Pondering", " deeply."], Tokens = ["Hi", " there"], InputTokens = 12, OutputTokens = 5 }.ToDirective();
        // No upstream id: the gateway's synthesized id must pair the call with the SDK's functionResponse.
        var toolCall = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""")] }.ToDirective();

        var result = JsonDocument.Parse(await NodeScript.RunAsync("genai-sdk.mjs",
            [gateway.BaseUrl.ToString().TrimEnd('/'), "openai/fake-model", "Say hi " + thinking, "openai/fake-model", "Weather in Oslo? " + toolCall], Ct)).RootElement;

        Assert.Equal("Hi there", result.GetProperty("whole").GetProperty("text").GetString());
        var streamed = result.GetProperty("streamed");
        Assert.Equal(["Hi", " there"], streamed.GetProperty("textDeltas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Pondering deeply.", streamed.GetProperty("thoughts").GetString());
        Assert.Equal(12, streamed.GetProperty("usage").GetProperty("promptTokenCount").GetInt32());
        Assert.Equal(17, streamed.GetProperty("usage").GetProperty("totalTokenCount").GetInt32());
        var tool = result.GetProperty("tool");
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("Oslo", tool.GetProperty("args").GetProperty("city").GetString());
        Assert.Equal("Done after tool", tool.GetProperty("answer").GetString());

        var afterTool = fake.Requests.Last(r => r.Path == "/v1/chat/completions").Json!.Value.GetProperty("messages");
        var assistant = afterTool[afterTool.GetArrayLength() - 2];
        var toolMessage = afterTool[afterTool.GetArrayLength() - 1];
        Assert.Equal("tool", toolMessage.GetProperty("role").GetString());
        Assert.Equal("sunny, 21 C", toolMessage.GetProperty("content").GetString());
        Assert.Equal("get_weather", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString(), toolMessage.GetProperty("tool_call_id").GetString());
    }
}
