using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Tests.Protocols.Anthropic;

public sealed class AnthropicRequestReaderTests
{
    private static ChatRequest Read(string json) =>
        AnthropicRequestReader.Read(JsonSerializer.Deserialize(json, AnthropicJsonContext.Default.AnthropicMessagesRequest)!);

    [Fact]
    public void ReadsSystemBlocksToolsThinkingImagesAndToolResults()
    {
        var request = Read("""
            {"model":"echo/x","max_tokens":50,"stop_sequences":["END"],"temperature":0.1,"top_k":5,"metadata":{"user_id":"u"},
             "system":[{"type":"text","text":"one","cache_control":{"type":"ephemeral"}},{"type":"text","text":"two"}],
             "thinking":{"type":"enabled","budget_tokens":2048},
             "tools":[{"name":"get","description":"d","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true},
             "messages":[
               {"role":"user","content":[{"type":"text","text":"see"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"QUJD"}}]},
               {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"tool_use","id":"toolu_1","name":"get","input":{"q":1}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"res"}],"is_error":true},{"type":"text","text":"and?"}]}
             ]}
            """);

        Assert.Equal("one\n\ntwo", request.SystemText);
        Assert.Equal(50, request.MaxTokens);
        Assert.Equal(2048, request.ThinkingBudget);
        Assert.Equal(ToolChoice.Required, request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
        Assert.Equal("u", request.User);
        Assert.Equal(5, request.TopK);
        Assert.Equal(new ImagePart(null, "image/jpeg", "QUJD"), request.Messages[1].Content[1]);
        Assert.Equal(new ReasoningPart("t", "s"), request.Messages[2].Content[0]);
        Assert.Equal(new ToolCallPart("toolu_1", "get", "{\"q\":1}"), request.Messages[2].Content[1]);
        var result = Assert.IsType<ToolResultPart>(request.Messages[3].Content[0]);
        Assert.Equal(("toolu_1", "get", "res", true), (result.ToolCallId, result.Name, result.Text, result.IsError));
        Assert.Equal("and?", request.Messages[3].Text);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"document"}]}]}""", "messages.0.content.0")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools.0.type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"tool"}}""", "tool_choice.name")]
    public void InvalidRequestsNameTheField(string json, string param)
    {
        var error = Assert.Throws<ChatBackendException>(() => Read(json));
        Assert.Equal(ChatErrorKind.BadRequest, error.Kind);
        Assert.Equal(param, error.Param);
    }
}
