using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>
/// The OpenAI Agents SDK (`@openai/agents`) with its default model class, which speaks the Responses API
/// (tests/node/agents-sdk.mjs): an agent whose function tool runs in the script, streamed and not, and a follow-up run
/// continued by <c>previous_response_id</c>; tracing off, the gateway its only client.
/// </summary>
public sealed class ResponsesAgentsSdkTests : OpenAIAndAnthropicGatewayTest
{
    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task AnAgentRunsItsFunctionToolThroughTheGatewayAndContinuesByPreviousResponseId(string model)
    {
        NodeScript.RequireInstalled("@openai/agents");
        FakeScript Call() => new() { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""")] };
        FakeScript Answer() => new() { Tokens = ["Rainy", " in", " Oslo."] };
        foreach (var script in new[] { Call(), Answer(), Call(), Answer(), new FakeScript { Tokens = ["Sunny", " tomorrow."] } })
        {
            Fake.Enqueue(script);
        }

        var result = JsonDocument.Parse(await NodeScript.RunAsync("agents-sdk.mjs",
            [Gateway.OpenAIEndpoint.ToString().TrimEnd('/'), model, "Weather in Oslo?"], Ct)).RootElement;

        string[] toolTurn = ["tool_call_item", "tool_call_output_item", "message_output_item"];
        foreach (var run in new[] { result.GetProperty("whole"), result.GetProperty("streamed") })
        {
            Assert.Equal("Rainy in Oslo.", run.GetProperty("output").GetString());
            Assert.Equal(toolTurn, Strings(run.GetProperty("items")));
        }
        Assert.Equal(["Rainy", " in", " Oslo."], Strings(result.GetProperty("streamed").GetProperty("textDeltas")));
        Assert.Equal("Sunny tomorrow.", result.GetProperty("followUp").GetProperty("output").GetString());
        Assert.Equal(["Oslo", "Oslo"], Strings(result.GetProperty("executed")));
        Assert.All(Strings(result.GetProperty("requests")), path => Assert.Equal("/v1/responses", path));

        var upstream = Fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(5, upstream.Count);
        Assert.Contains("rain, 4 C in Oslo", upstream[1].Body, StringComparison.Ordinal);
        // The follow-up sent only its new question; the stored conversation (call, output, answer) came from the gateway.
        foreach (var said in new[] { "Weather in Oslo?", "rain, 4 C in Oslo", "Rainy in Oslo.", "And tomorrow?" })
        {
            Assert.Contains(said, upstream[4].Body, StringComparison.Ordinal);
        }
    }
}
