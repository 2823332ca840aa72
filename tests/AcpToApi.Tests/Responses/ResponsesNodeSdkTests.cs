using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>
/// The official `openai` npm package's <c>client.responses</c> (tests/node/openai-responses.mjs): whole and streamed
/// answers, reasoning, a function-call round trip continued by <c>previous_response_id</c> and statelessly, retrieve and
/// delete, and the unknown-id error; against echo and against openai/ and anthropic/ on the fake upstream.
/// </summary>
public sealed class ResponsesNodeSdkTests : OpenAIAndAnthropicGatewayTest
{
    private async Task<JsonElement> RunAsync(string textModel, string thinkModel, string toolModel)
    {
        NodeScript.RequireInstalled("openai");
        var output = await NodeScript.RunAsync("openai-responses.mjs",
            [Gateway.OpenAIEndpoint.ToString().TrimEnd('/'), textModel, thinkModel, toolModel, "hello node world", "Oslo"], Ct);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task EchoAnswersEveryCallOfTheResponsesApi()
    {
        var result = await RunAsync("echo/x", "echo/x+think", "echo/x+tool");

        var whole = result.GetProperty("whole");
        Assert.Equal(("hello node world", "completed", "Answer plainly.", "node"), (whole.GetProperty("text").GetString(), whole.GetProperty("status").GetString(),
            whole.GetProperty("instructions").GetString(), whole.GetProperty("metadata").GetProperty("run").GetString()));
        AssertStreamed(result.GetProperty("streamed"), ["hello ", "node ", "world"]);
        Assert.StartsWith("acptoapi.v1:", result.GetProperty("streamed").GetProperty("encryptedContent").GetString(), StringComparison.Ordinal);
        var tool = result.GetProperty("tool");
        Assert.Equal(("get_weather", """{"city":"Oslo"}"""), (tool.GetProperty("name").GetString(), tool.GetProperty("arguments").GetString()));
        // Echo answers with the last tool result, so each continuation shows the output reached the backend.
        Assert.Equal(("rain, 4 C", "rain, 4 C", "rain, 4 C"), (tool.GetProperty("byId").GetString(), tool.GetProperty("stateless").GetString(), tool.GetProperty("retrieved").GetString()));
        Assert.Equal(404, tool.GetProperty("afterDelete").GetInt32());
        AssertUnknownPrevious(result);
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task TheUpstreamAnswersEveryCallAndSeesTheToolOutputBothWays(string model)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Plain", " answer."] });
        Fake.Enqueue(new FakeScript { Reasoning = ["Mulling", " it."], Tokens = ["hello ", "node ", "world"] });
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_n1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Rainy", " by id."] });
        Fake.Enqueue(new FakeScript { Tokens = ["Rainy", " without state."] });

        var result = await RunAsync(model, model, model);

        Assert.Equal("Plain answer.", result.GetProperty("whole").GetProperty("text").GetString());
        var streamed = result.GetProperty("streamed");
        AssertStreamed(streamed, ["hello ", "node ", "world"]);
        Assert.Equal(["Mulling", " it."], Strings(streamed.GetProperty("reasoningDeltas")));
        var tool = result.GetProperty("tool");
        Assert.Equal(("call_n1", "get_weather", """{"city":"Oslo"}"""), (tool.GetProperty("callId").GetString(), tool.GetProperty("name").GetString(), tool.GetProperty("arguments").GetString()));
        Assert.Equal(("Rainy by id.", "Rainy without state."), (tool.GetProperty("byId").GetString(), tool.GetProperty("stateless").GetString()));
        AssertUnknownPrevious(result);

        var upstream = Fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(5, upstream.Count); // the unknown previous_response_id never reached the upstream
        foreach (var continuation in upstream.Skip(3))
        {
            // Both continuations carry the user's turn, the call and its output.
            Assert.Contains("Oslo", continuation.Body, StringComparison.Ordinal);
            Assert.Contains("call_n1", continuation.Body, StringComparison.Ordinal);
            Assert.Contains("rain, 4 C", continuation.Body, StringComparison.Ordinal);
        }
    }

    private static void AssertStreamed(JsonElement streamed, string[] deltas)
    {
        var types = Strings(streamed.GetProperty("types"));
        Assert.Equal(["response.created", "response.in_progress"], types[..2]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Equal(Enumerable.Range(0, types.Length), streamed.GetProperty("sequence").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(deltas, Strings(streamed.GetProperty("textDeltas")));
        Assert.NotEmpty(Strings(streamed.GetProperty("reasoningDeltas")));
        Assert.Equal(["reasoning", "message"], Strings(streamed.GetProperty("outputTypes")));
        Assert.Equal(string.Concat(deltas), streamed.GetProperty("text").GetString());
        Assert.True(streamed.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    private static void AssertUnknownPrevious(JsonElement result)
    {
        var error = result.GetProperty("unknownPrevious");
        Assert.Equal((400, "previous_response_not_found", "previous_response_id"),
            (error.GetProperty("status").GetInt32(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
    }
}
