using System.Text;
using AcpToApi.Backends;
using AcpToApi.Backends.Ollama;
using AcpToApi.Conversation;

namespace AcpToApi.Tests.Backends.Ollama;

public sealed class OllamaRequestWriterTests
{
    [Fact]
    public void ToolResultsWithoutNamesTakeThemFromTheCallAndReasoningGoesBackAsThinking()
    {
        var request = new ChatRequest
        {
            Model = "qwen3",
            Messages =
            [
                ChatMessage.FromText(ChatRole.User, "q"),
                new ChatMessage(ChatRole.Assistant, [new ReasoningPart("Hm."), new TextPart("Let me look."), new ToolCallPart("toolu_1", "lookup", """{"k":"v"}""")]),
                new ChatMessage(ChatRole.User, [new ToolResultPart("toolu_1", null, [new TextPart("found")]), new TextPart("and then?")]),
            ],
        };

        var json = Encoding.UTF8.GetString(OllamaRequestWriter.Write(request));

        Assert.Equal(
            """{"model":"qwen3","messages":[{"role":"user","content":"q"},{"role":"assistant","content":"Let me look.","thinking":"Hm.","tool_calls":[{"function":{"name":"lookup","arguments":{"k":"v"}}}]},{"role":"tool","content":"found","tool_name":"lookup"},{"role":"user","content":"and then?"}],"stream":true}""",
            json);
    }

    [Fact]
    public void ImageUrlsAreRefused()
    {
        var request = new ChatRequest
        {
            Model = "llava",
            Messages = [new ChatMessage(ChatRole.User, [ImagePart.FromUrl("https://example.com/cat.png")])],
        };

        var error = Assert.Throws<ChatBackendException>(() => OllamaRequestWriter.Write(request));

        Assert.Equal(ChatErrorKind.BadRequest, error.Kind);
    }
}
