using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Responses;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Responses;

/// <summary>A whole answer in, the exact non-streamed <c>response</c> object out.</summary>
public sealed class ResponsesResponseWriterGoldenTests
{
    private static readonly ResponsesEcho Echo = new()
    {
        Id = "resp_1",
        Model = "anthropic/claude-sonnet-4-5",
        CreatedAt = 1700000000,
        Instructions = "Be brief.",
        ReasoningEffort = "low",
        Store = false,
        MaxOutputTokens = 100,
        Metadata = new Dictionary<string, string> { ["run"] = "golden" },
    };

    private static string Write(ChatResponse response) =>
        ResponsesStreamWriterGoldenTests.NumberIds(System.Text.Encoding.UTF8.GetString(WireJson.ToBytes(w => ResponsesResponseWriter.Write(w, Echo, response))));

    [Fact]
    public void ReasoningTextAndACallWithUsageDetailsAreByteForByteTheResponseObject()
    {
        var json = Write(new ChatResponse("x", "m",
            [new ReasoningPart("Weighing it.", "sig=="), new TextPart("Checking."), new ToolCallPart("call_1", "get_weather", """{"city":"Oslo"}""")],
            new ChatUsage(40, 25, ReasoningTokens: 10, CacheReadTokens: 30), StopReason.ToolUse));

        Assert.Equal(ResponsesStreamWriterGoldenTests.Golden("whole-reasoning-text-call.json").TrimEnd('\n'), json);
    }

    [Fact]
    public void MaxTokensIsAnIncompleteResponseWithItsReason()
    {
        using var json = JsonDocument.Parse(Write(new ChatResponse("x", "m", [new TextPart("cut")], new ChatUsage(3, 100), StopReason.MaxTokens)));

        var response = json.RootElement;
        Assert.Equal(("incomplete", "max_output_tokens"), (response.GetProperty("status").GetString(), response.GetProperty("incomplete_details").GetProperty("reason").GetString()));
        Assert.Equal("cut", response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, response.GetProperty("error").ValueKind);
    }
}
