using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Conversation;

namespace AcpToApi.Tests.Backends.ClaudeCli;

public sealed class ClaudePromptBuilderTests
{
    private static ChatRequest Request(params ChatMessage[] messages) => new() { Model = "sonnet", Messages = messages };

    private static JsonElement Content(string line)
    {
        Assert.DoesNotContain('\n', line);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal("user", root.GetProperty("type").GetString());
        Assert.Equal("user", root.GetProperty("message").GetProperty("role").GetString());
        return root.GetProperty("message").GetProperty("content").Clone();
    }

    [Fact]
    public void SingleUserMessageIsSentAsIsWithInstructionsOnTopWhenTheyGoThere()
    {
        var request = Request(
            ChatMessage.FromText(ChatRole.System, "be brief"),
            ChatMessage.FromText(ChatRole.System, "use French"),
            ChatMessage.FromText(ChatRole.User, "hello\nthere"));

        Assert.Equal("""[{"type":"text","text":"hello\nthere"}]""", Content(ClaudePromptBuilder.Transcript(request, null)).GetRawText());
        Assert.Equal("""[{"type":"text","text":"<instructions>\nbe brief\n\nuse French\n</instructions>\n\nhello\nthere"}]""",
            Content(ClaudePromptBuilder.Transcript(request, request.SystemText)).GetRawText());
    }

    [Fact]
    public void EarlierTurnsBecomeAnOrderedHistoryBlockBeforeTheCurrentTurn()
    {
        var prompt = ClaudePromptBuilder.Transcript(Request(
            ChatMessage.FromText(ChatRole.User, "first question"),
            new ChatMessage(ChatRole.Assistant, [new TextPart("let me look"), new ToolCallPart("call_1", "lookup", """{"q":"x"}""")]),
            new ChatMessage(ChatRole.Tool, [new ToolResultPart("call_1", "lookup", [new TextPart("found x")])]),
            ChatMessage.FromText(ChatRole.Assistant, "first answer"),
            ChatMessage.FromText(ChatRole.User, "second question")), null);

        var content = Content(prompt);
        Assert.Equal(2, content.GetArrayLength());
        Assert.Equal(
            "<conversation_history>\n"
            + "<user>\nfirst question\n</user>\n"
            + "<assistant>\nlet me look\n<tool_call id=\"call_1\" name=\"lookup\">{\"q\":\"x\"}</tool_call>\n</assistant>\n"
            + "<tool_result id=\"call_1\" name=\"lookup\">\nfound x\n</tool_result>\n"
            + "<assistant>\nfirst answer\n</assistant>\n"
            + "</conversation_history>\n",
            content[0].GetProperty("text").GetString());
        Assert.Equal("second question", content[1].GetProperty("text").GetString());
    }

    [Fact]
    public void ImagesBecomeImageBlocksInPlace()
    {
        var prompt = ClaudePromptBuilder.Transcript(Request(new ChatMessage(ChatRole.User,
            [new TextPart("what is this?"), ImagePart.FromUrl("data:image/jpeg;base64,QUJD"), ImagePart.FromUrl("https://example.com/a.png")])), null);

        Assert.Equal(
            """[{"type":"text","text":"what is this?"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"QUJD"}},{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]""",
            Content(prompt).GetRawText());
    }

    [Fact]
    public void AConversationEndingWithTheAssistantIsRejected()
    {
        var error = Assert.Throws<ChatBackendException>(() => ClaudePromptBuilder.Transcript(Request(
            ChatMessage.FromText(ChatRole.User, "hi"), ChatMessage.FromText(ChatRole.Assistant, "hello")), null));

        Assert.Equal(400, error.HttpStatus);
    }
}
