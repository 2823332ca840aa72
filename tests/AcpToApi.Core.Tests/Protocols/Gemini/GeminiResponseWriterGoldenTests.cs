using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Gemini;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Gemini;

public sealed class GeminiResponseWriterGoldenTests
{
    [Fact]
    public void WholeResponseWithThoughtTextAndFunctionCalls()
    {
        var response = new ChatResponse("x", "m",
            [new ReasoningPart("why", "sig"), new TextPart("Let me check."), new ToolCallPart("call_1", "get", """{"q":"a"}"""), new ToolCallPart("call_2", "get", "")],
            new ChatUsage(3, 9, ReasoningTokens: 2), StopReason.ToolUse);

        var json = System.Text.Encoding.UTF8.GetString(WireJson.ToBytes(w => GeminiResponseWriter.Write(w, response, "r1", "echo/m", includeThoughts: true)));

        Assert.Equal(
            """{"candidates":[{"content":{"parts":[{"text":"why","thought":true,"thoughtSignature":"sig"},{"text":"Let me check."},""" +
            """{"functionCall":{"id":"call_1","name":"get","args":{"q":"a"}}},{"functionCall":{"id":"call_2","name":"get","args":{}}}],"role":"model"},"finish""" +
            """Reason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":7,"totalTokenCount":12,"thoughtsTokenCount":2},"model""" +
            """Version":"echo/m","responseId":"r1"}""",
            json);
    }

    [Fact]
    public void EmptyResponseStillHasOnePartAndThoughtsHiddenByDefault()
    {
        var response = new ChatResponse(null, null, [new ReasoningPart("why")], null, StopReason.MaxTokens);

        var json = System.Text.Encoding.UTF8.GetString(WireJson.ToBytes(w => GeminiResponseWriter.Write(w, response, "r1", "echo/m", includeThoughts: false)));

        Assert.Equal(
            """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usage""" +
            """Metadata":{"promptTokenCount":0,"candidatesTokenCount":0,"totalTokenCount":0},"modelVersion":"echo/m","responseId":"r1"}""",
            json);
    }

    [Fact]
    public void HiddenThoughtSignatureGoesOnTheNextPart()
    {
        var response = new ChatResponse(null, null,
            [new ReasoningPart("why", "sig"), new ToolCallPart("c1", "f", "{}")], null, StopReason.ToolUse);

        var json = System.Text.Encoding.UTF8.GetString(WireJson.ToBytes(w => GeminiResponseWriter.Write(w, response, "r1", "echo/m", includeThoughts: false)));

        Assert.StartsWith("""{"candidates":[{"content":{"parts":[{"functionCall":{"id":"c1","name":"f","args":{}},"thoughtSignature":"sig"}],"role":"model"}""", json);
    }

    [Theory]
    [InlineData(ChatErrorKind.BadRequest, 400, "INVALID_ARGUMENT")]
    [InlineData(ChatErrorKind.Authentication, 401, "UNAUTHENTICATED")]
    [InlineData(ChatErrorKind.PermissionDenied, 403, "PERMISSION_DENIED")]
    [InlineData(ChatErrorKind.NotFound, 404, "NOT_FOUND")]
    [InlineData(ChatErrorKind.RequestTooLarge, 413, "INVALID_ARGUMENT")]
    [InlineData(ChatErrorKind.RateLimited, 429, "RESOURCE_EXHAUSTED")]
    [InlineData(ChatErrorKind.UpstreamError, 502, "UNAVAILABLE")]
    [InlineData(ChatErrorKind.Unavailable, 503, "UNAVAILABLE")]
    [InlineData(ChatErrorKind.Timeout, 504, "DEADLINE_EXCEEDED")]
    [InlineData(ChatErrorKind.NotImplemented, 501, "UNIMPLEMENTED")]
    [InlineData(ChatErrorKind.Internal, 500, "INTERNAL")]
    public void ErrorsHaveGoogleStatusNames(ChatErrorKind kind, int code, string status)
    {
        var json = System.Text.Encoding.UTF8.GetString(GeminiErrorWriter.ToBytes(new ChatBackendException(kind, "m \"q\"")));

        Assert.Equal("{\"error\":{\"code\":" + code + ",\"message\":\"m \\\"q\\\"\",\"status\":\"" + status + "\"}}", json);
    }
}
