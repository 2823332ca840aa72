using System.Text.Json;
using AcpToApi.Backends.OpenCode;
using AcpToApi.Conversation;

namespace AcpToApi.Tests.Backends.OpenCode;

public sealed class ServePromptBuilderTests
{
    private static readonly ServeModelRef Model = new("fake", "fake-model");

    [Fact]
    public void SingleUserMessageIsSentAsItsOwnPartsWithTheSystemText()
    {
        var request = new ChatRequest
        {
            Model = "fake/fake-model",
            Messages = [ChatMessage.FromText(ChatRole.System, "be brief"), ChatMessage.FromText(ChatRole.User, "ping")],
        };

        var body = JsonDocument.Parse(ServePromptBuilder.Build(request, Model)).RootElement;

        // Every session has the gateway's client-tool MCP servers switched off (another conversation's tools are not its own).
        Assert.Equal("""{"model":{"providerID":"fake","modelID":"fake-model"},"tools":{"acptoapi*":false},"system":"be brief","parts":[{"type":"text","text":"ping"}]}""",
            body.GetRawText());
    }

    [Fact]
    public void AConversationWithClientToolsHasOnlyItsOwnMcpServerSwitchedOn()
    {
        var request = new ChatRequest { Model = "m", Messages = [ChatMessage.FromText(ChatRole.User, "ping")] };

        var body = JsonDocument.Parse(ServePromptBuilder.Build(request, Model, "acptoapi4800_3")).RootElement;

        // The daemon applies the rules in order, the last match wins.
        Assert.Equal("""{"acptoapi*":false,"acptoapi4800_3_*":true}""", body.GetProperty("tools").GetRawText());
    }

    [Fact]
    public void HistoryTravelsAsATaggedTranscriptBeforeTheLastUserMessage()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                ChatMessage.FromText(ChatRole.User, "weather in Paris?"),
                new ChatMessage(ChatRole.Assistant, [new TextPart("checking"), new ToolCallPart("call_1", "get_weather", """{"city":"Paris"}""")]),
                new ChatMessage(ChatRole.Tool, [new ToolResultPart("call_1", "get_weather", [new TextPart("sunny")])]),
                ChatMessage.FromText(ChatRole.Assistant, "It is sunny."),
                new ChatMessage(ChatRole.User, [new TextPart("and tomorrow?"), ImagePart.FromUrl("data:image/png;base64,AAAA")]),
            ],
        };

        var parts = JsonDocument.Parse(ServePromptBuilder.Build(request, Model)).RootElement.GetProperty("parts");

        Assert.Equal(3, parts.GetArrayLength());
        Assert.Equal(
            ServePromptBuilder.TranscriptIntro + "\n<conversation>\n<user>\nweather in Paris?\n</user>\n<assistant>\nchecking\n[tool call get_weather (call_1): {\"city\":\"Paris\"}]\n</assistant>\n"
            + "<tool name=\"get_weather\" id=\"call_1\">\nsunny\n</tool>\n<assistant>\nIt is sunny.\n</assistant>\n</conversation>",
            parts[0].GetProperty("text").GetString());
        Assert.Equal("and tomorrow?", parts[1].GetProperty("text").GetString());
        Assert.Equal("file", parts[2].GetProperty("type").GetString());
        Assert.Equal("image/png", parts[2].GetProperty("mime").GetString());
        Assert.Equal("data:image/png;base64,AAAA", parts[2].GetProperty("url").GetString());
        Assert.False(JsonDocument.Parse(ServePromptBuilder.Build(request, Model)).RootElement.TryGetProperty("system", out _));
    }

    [Fact]
    public void TitleIsShortAndSingleLine()
    {
        var request = new ChatRequest { Model = "m", Messages = [ChatMessage.FromText(ChatRole.User, "line one\nline two " + new string('x', 100))] };

        var title = ServePromptBuilder.Title(request);

        Assert.StartsWith("acptoapi: line one line two", title, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', title);
        Assert.True(title.Length <= 72);
    }
}
