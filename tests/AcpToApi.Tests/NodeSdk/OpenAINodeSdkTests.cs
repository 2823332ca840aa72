using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.NodeSdk;

/// <summary>The official `openai` npm package, as in the README's example, against the running gateway.</summary>
public sealed class OpenAINodeSdkTests
{
    [Fact]
    public async Task EchoStreamsWordByWordAndEndsWithDone()
    {
        NodeScript.RequireInstalled("openai");
        await using var gateway = await GatewayServer.StartAsync();

        var output = await NodeScript.RunAsync("openai-sdk.mjs",
            [new Uri(gateway.BaseUrl, "/v1").ToString(), "echo/hello", "hello streaming world"], TestContext.Current.CancellationToken);

        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["hello ", "streaming ", "world"], result.GetProperty("deltas").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("stop", result.GetProperty("finish").GetString());
        Assert.Equal(3, result.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("hello streaming world", result.GetProperty("nonStream").GetString());
        Assert.True(result.GetProperty("endsWithDone").GetBoolean());
        Assert.Equal("text/event-stream", result.GetProperty("contentType").GetString());
        Assert.Equal(404, result.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", result.GetProperty("notFound").GetProperty("code").GetString());
    }
}
