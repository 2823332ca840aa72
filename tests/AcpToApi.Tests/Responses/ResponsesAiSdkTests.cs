using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>
/// The Vercel AI SDK's default OpenAI provider, <c>openai(model)</c>, which speaks the Responses API
/// (tests/node/ai-sdk-responses.mjs): generateText, streamText, reasoning, and multi-step tool loops whose tool runs in
/// the script, with the default store (earlier items sent as <c>item_reference</c>) and with <c>store: false</c>.
/// </summary>
public sealed class ResponsesAiSdkTests : OpenAIAndAnthropicGatewayTest
{
    private const string Prompt = "hello ai world";

    private async Task<JsonElement> RunAsync(string textModel, string thinkModel, string toolModel)
    {
        NodeScript.RequireInstalled("ai");
        NodeScript.RequireInstalled("@ai-sdk/openai");
        var output = await NodeScript.RunAsync("ai-sdk-responses.mjs",
            [Gateway.OpenAIEndpoint.ToString().TrimEnd('/'), textModel, thinkModel, toolModel, Prompt, "Oslo"], Ct);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task EchoServesGenerateStreamReasoningAndBothToolLoops()
    {
        var result = await RunAsync("echo/x", "echo/x+think", "echo/x+tool");

        AssertText(result, ["hello ", "ai ", "world"]);
        var reasoning = result.GetProperty("reasoning");
        Assert.Equal("The user wrote 3 words; I will echo them back.", reasoning.GetProperty("reasoning").GetString());
        Assert.Equal(Prompt, reasoning.GetProperty("text").GetString());
        Assert.Equal("The user wrote 3 words; I will echo them back.", string.Concat(Strings(reasoning.GetProperty("streamedDeltas"))));
        // Echo answers with the tool result, so each loop's last step shows the script's tool output reached the backend.
        AssertLoops(result, "rain, 4 C in Oslo");
        Assert.Empty(Strings(result.GetProperty("warnings")));
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task TheUpstreamServesGenerateStreamReasoningAndBothToolLoops(string model)
    {
        FakeScript Text() => new() { Tokens = ["hello ", "ai ", "world"] };
        FakeScript Reasoned() => new() { Reasoning = ["Mulling", " it."], Tokens = ["hello ", "ai ", "world"] };
        FakeScript Call(string signature) => new()
        {
            Reasoning = ["Need", " weather."],
            Signature = signature,
            Tokens = ["Checking."],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""")],
        };
        FakeScript Answer() => new() { Tokens = ["Rainy", " in", " Oslo."] };
        foreach (var script in new[] { Text(), Text(), Reasoned(), Reasoned(), Call("sig-a"), Answer(), Call("sig-b"), Answer(), Call("sig-c"), Answer() })
        {
            Fake.Enqueue(script);
        }

        var result = await RunAsync(model, model, model);

        AssertText(result, ["hello ", "ai ", "world"]);
        var reasoning = result.GetProperty("reasoning");
        Assert.Equal(("Mulling it.", "Mulling it."), (reasoning.GetProperty("reasoning").GetString(), string.Concat(Strings(reasoning.GetProperty("streamedDeltas")))));
        AssertLoops(result, "Rainy in Oslo.");
        if (model.StartsWith("anthropic/", StringComparison.Ordinal))
        {
            Assert.Empty(Strings(result.GetProperty("warnings")));
        }
        else
        {
            // OpenAI-compatible upstreams sign no reasoning, so there is no encrypted_content, and a store:false client
            // drops that reasoning when it replays the history (those upstreams would not take it back anyway).
            Assert.All(Strings(result.GetProperty("warnings")), w => Assert.StartsWith("Reasoning parts without encrypted content", w, StringComparison.Ordinal));
        }

        var upstream = Fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(10, upstream.Count);
        foreach (var (continuation, signature) in new[] { (upstream[5], "sig-a"), (upstream[7], "sig-b"), (upstream[9], "sig-c") })
        {
            // Each loop's second step carries the first step's text, call and the tool's output: with the default store
            // the SDK sent the text (and reasoning) as item_reference, resolved here from the stored response.
            Assert.Contains("Checking.", continuation.Body, StringComparison.Ordinal);
            Assert.Contains("rain, 4 C in Oslo", continuation.Body, StringComparison.Ordinal);
            if (model.StartsWith("anthropic/", StringComparison.Ordinal))
            {
                // Anthropic needs the signed thinking block back before its tool_use.
                var assistant = continuation.Json!.Value.GetProperty("messages")[1].GetProperty("content");
                Assert.Equal(("thinking", signature), (assistant[0].GetProperty("type").GetString(), assistant[0].GetProperty("signature").GetString()));
            }
        }
    }

    private static void AssertText(JsonElement result, string[] deltas)
    {
        var generated = result.GetProperty("generated");
        Assert.Equal((Prompt, "stop"), (generated.GetProperty("text").GetString(), generated.GetProperty("finish").GetString()));
        Assert.StartsWith("resp_", generated.GetProperty("responseId").GetString(), StringComparison.Ordinal);
        Assert.True(generated.GetProperty("usage").GetProperty("outputTokens").GetInt32() > 0);
        var streamed = result.GetProperty("streamed");
        Assert.Equal(deltas, Strings(streamed.GetProperty("deltas")));
        Assert.Equal((Prompt, "stop"), (streamed.GetProperty("text").GetString(), streamed.GetProperty("finish").GetString()));
        Assert.True(streamed.GetProperty("usage").GetProperty("totalTokens").GetInt32() > 0);
    }

    private static void AssertLoops(JsonElement result, string answer)
    {
        Assert.Equal(["Oslo", "Oslo", "Oslo"], Strings(result.GetProperty("executed")));
        foreach (var name in new[] { "loop", "streamedLoop", "stateless" })
        {
            var loop = result.GetProperty(name);
            Assert.Equal(["tool-calls", "stop"], Strings(loop.GetProperty("steps")));
            Assert.Equal(answer, loop.GetProperty("text").GetString());
        }
        Assert.Equal(["rain, 4 C in Oslo"], Strings(result.GetProperty("loop").GetProperty("toolResults")));
        Assert.Equal(["tool-call", "tool-result", "finish-step", "finish-step"], Strings(result.GetProperty("streamedLoop").GetProperty("parts")));
    }
}
