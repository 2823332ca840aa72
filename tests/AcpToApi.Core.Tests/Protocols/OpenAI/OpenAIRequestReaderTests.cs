using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Tests.Protocols.OpenAI;

public sealed class OpenAIRequestReaderTests
{
    private static ChatRequest Read(string json) =>
        OpenAIRequestReader.Read(JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.OpenAIChatRequest)!);

    [Fact]
    public void ReadsEveryPartOfAConversation()
    {
        var request = Read("""
            {"model":"echo/x","stream":true,"temperature":0.2,"top_p":0.9,"max_completion_tokens":9,"max_tokens":5,"stop":"END","seed":4,"user":"u1",
             "response_format":{"type":"json_object"},"reasoning_effort":"low","parallel_tool_calls":false,
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],
             "messages":[
               {"role":"developer","content":"sys"},
               {"role":"user","name":"ann","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},
               {"role":"assistant","content":null,"reasoning_content":"r","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
               {"role":"tool","tool_call_id":"c1","content":"42"}
             ]}
            """);

        Assert.True(request.Stream);
        Assert.Equal(9, request.MaxTokens); // max_completion_tokens wins
        Assert.Equal(["END"], request.Stop);
        Assert.Equal("sys", request.SystemText);
        Assert.Equal(new ToolChoice(ToolChoiceMode.Function, "f"), request.ToolChoice);
        Assert.Equal("f", request.Tools.Single().Name);
        Assert.Equal("json_object", request.ResponseFormat!.Value.GetProperty("type").GetString());
        var user = request.Messages[1];
        Assert.Equal("ann", user.Name);
        var image = Assert.IsType<ImagePart>(user.Content[1]);
        Assert.Equal(("image/png", "AAAA", "low"), (image.MediaType, image.Base64Data, image.Detail));
        var assistant = request.Messages[2];
        Assert.Equal(new ReasoningPart("r"), assistant.Content[0]);
        Assert.Equal(new ToolCallPart("c1", "f", "{\"a\":1}"), assistant.Content[1]);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[3].Content));
        Assert.Equal(("c1", "f", "42"), (result.ToolCallId, result.Name, result.Text)); // the name is recovered from the call
    }
}
