using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Gemini;

namespace AcpToApi.Tests.Protocols.Gemini;

public sealed class GeminiRequestReaderTests
{
    private static ChatRequest Read(string json, bool stream = false) =>
        GeminiRequestReader.Read(JsonSerializer.Deserialize(json, GeminiJsonContext.Default.GeminiGenerateContentRequest)!, "echo/x", stream);

    [Fact]
    public void ReadsEveryPartOfAConversation()
    {
        var request = Read("""
            {"systemInstruction":{"parts":[{"text":"Be terse."}]},
             "generationConfig":{"temperature":0.2,"topP":0.9,"topK":40,"maxOutputTokens":9,"stopSequences":["END"],"candidateCount":1,"seed":4,
               "thinkingConfig":{"includeThoughts":true,"thinkingBudget":1024}},
             "tools":[{"functionDeclarations":[{"name":"get_weather","description":"d","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},
             "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
             "futureField":{"kept":true},
             "contents":[
               {"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]},
               {"role":"model","parts":[{"text":"why","thought":true},{"functionCall":{"name":"get_weather","args":{"city":"Oslo"}},"thoughtSignature":"sig"}]},
               {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"-3 C"}}}]}
             ]}
            """, stream: true);

        Assert.True(request.Stream);
        Assert.Equal("echo/x", request.Model);
        Assert.Equal("Be terse.", request.SystemText);
        Assert.Equal((0.2, 0.9, 40, 9, 4L, 1024), (request.Temperature, request.TopP, request.TopK, request.MaxTokens, request.Seed, request.ThinkingBudget));
        Assert.Equal(["END"], request.Stop);
        Assert.Equal(new ToolChoice(ToolChoiceMode.Function, "get_weather"), request.ToolChoice);
        var tool = Assert.Single(request.Tools);
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}}}""", tool.Parameters!.Value.GetRawText()); // upper-case OpenAPI types lowered
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], request.Messages.Select(m => m.Role));
        var image = Assert.IsType<ImagePart>(request.Messages[1].Content[1]);
        Assert.Equal(("image/png", "AAAA"), (image.MediaType, image.Base64Data));
        Assert.Equal(new ReasoningPart("why", "sig"), request.Messages[2].Content[0]); // the signature on the call goes back with the thought
        Assert.Equal(new ToolCallPart("call_1_1", "get_weather", """{"city":"Oslo"}"""), request.Messages[2].Content[1]);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[3].Content));
        Assert.Equal(("call_1_1", "get_weather", "-3 C", false), (result.ToolCallId, result.Name, result.Text, result.IsError));
    }

    [Fact]
    public void ParallelCallsWithoutIdsPairWithResponsesByNameInOrder()
    {
        var request = Read("""
            {"contents":[
               {"role":"user","parts":[{"text":"go"}]},
               {"role":"model","parts":[{"functionCall":{"name":"a","args":{"n":1}}},{"functionCall":{"name":"b"}},{"functionCall":{"name":"a","args":{"n":2}}}]},
               {"role":"user","parts":[
                 {"functionResponse":{"name":"b","response":{"result":"B"}}},
                 {"functionResponse":{"name":"a","response":{"result":"A1"}}},
                 {"functionResponse":{"name":"a","response":{"error":"boom"}}}]},
               {"role":"model","parts":[{"functionCall":{"id":"given","name":"a","args":{}}}]},
               {"role":"user","parts":[{"functionResponse":{"id":"given","name":"a","response":{"x":[1,2]}}},{"text":"and now?"}]}
            ]}
            """);

        var calls = request.Messages[1].ToolCalls.ToList();
        Assert.Equal(["call_1_0", "call_1_1", "call_1_2"], calls.Select(c => c.Id));
        Assert.Equal("{}", calls[1].ArgumentsJson);
        var results = request.Messages[2].ToolResults.ToList();
        Assert.Equal([("call_1_1", "b", "B", false), ("call_1_0", "a", "A1", false), ("call_1_2", "a", "boom", true)],
            results.Select(r => (r.ToolCallId, r.Name!, r.Text, r.IsError)));
        Assert.Equal("given", request.Messages[3].ToolCalls.Single().Id);
        var mixed = request.Messages[4];
        Assert.Equal(ChatRole.User, mixed.Role); // a response and text together stay a user turn
        var last = mixed.ToolResults.Single();
        Assert.Equal(("given", """{"x":[1,2]}"""), (last.ToolCallId, last.Text));
        Assert.Equal("and now?", mixed.Text);
    }

    [Fact]
    public void SameHistoryAlwaysGetsTheSameIds()
    {
        const string json = """{"contents":[{"role":"model","parts":[{"functionCall":{"name":"a"}}]},{"role":"user","parts":[{"functionResponse":{"name":"a","response":{}}}]}]}""";
        Assert.Equal(Read(json).Messages[0].ToolCalls.Single().Id, Read(json).Messages[0].ToolCalls.Single().Id);
        Assert.Equal("call_0_0", Read(json).Messages[1].ToolResults.Single().ToolCallId);
    }

    [Fact]
    public void ResponseMimeTypeBecomesAResponseFormat()
    {
        var plain = Read("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"application/json"}}""");
        Assert.Equal("""{"type":"json_object"}""", plain.ResponseFormat!.Value.GetRawText());
        var schema = Read("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","items":{"type":"STRING"}}}}""");
        Assert.Equal("""{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"array","items":{"type":"string"}}}}""", schema.ResponseFormat!.Value.GetRawText());
    }

    [Theory]
    [InlineData("""{"contents":[]}""", "contents")]
    [InlineData("""{}""", "contents")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"candidateCount":2}}""", "generationConfig.candidateCount")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"maxOutputTokens":0}}""", "generationConfig.maxOutputTokens")]
    [InlineData("""{"contents":[{"role":"system","parts":[{"text":"x"}]}]}""", "contents[0].role")]
    [InlineData("""{"contents":[{"role":"user","parts":[]}]}""", "contents[0].parts")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"audio/wav","data":"AA"}}]}]}""", "contents[0].parts[0].inlineData")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"executableCode":{"code":"1"}}]}]}""", "contents[0].parts[0]")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"functionCall":{"name":"a"}}]}]}""", "contents[0].parts[0]")]
    [InlineData("""{"contents":[{"role":"model","parts":[{"functionCall":{"args":{}}}]}]}""", "contents[0].parts[0].functionCall.name")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"tools":[{"googleSearch":{}}]}""", "tools[0]")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"toolConfig":{"functionCallingConfig":{"mode":"SOMETIMES"}}}""", "toolConfig.functionCallingConfig.mode")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"text/x.enum"}}""", "generationConfig.responseMimeType")]
    public void InvalidRequestsAreBadRequestsNamingTheField(string json, string param)
    {
        var error = Assert.Throws<ChatBackendException>(() => Read(json));

        Assert.Equal(ChatErrorKind.BadRequest, error.Kind);
        Assert.Equal(param, error.Param);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void ToolModesMapToToolChoices()
    {
        const string tools = "\"tools\":" + """[{"functionDeclarations":[{"name":"a"},{"name":"b"},{"name":"c","parametersJsonSchema":{"type":"object"}}]}]""";
        ChatRequest With(string config) => Read("""{"contents":[{"parts":[{"text":"x"}]}],""" + tools + ""","toolConfig":{"functionCallingConfig":""" + config + "}}");

        Assert.Equal(ToolChoice.Auto, With("""{"mode":"AUTO"}""").ToolChoice);
        Assert.Equal(ToolChoice.None, With("""{"mode":"NONE"}""").ToolChoice);
        Assert.Equal(ToolChoice.Required, With("""{"mode":"ANY"}""").ToolChoice);
        var restricted = With("""{"mode":"ANY","allowedFunctionNames":["a","c"]}""");
        Assert.Equal(ToolChoice.Required, restricted.ToolChoice);
        Assert.Equal(["a", "c"], restricted.Tools.Select(t => t.Name));
        Assert.Equal("""{"type":"object"}""", restricted.Tools[1].Parameters!.Value.GetRawText());
    }
}
