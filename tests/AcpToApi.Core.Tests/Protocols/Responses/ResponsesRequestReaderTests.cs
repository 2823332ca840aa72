using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Responses;

namespace AcpToApi.Tests.Protocols.Responses;

/// <summary>Real request bodies captured from Codex CLI 0.171.0 (and hand-written ones) in, the neutral request out.</summary>
public sealed class ResponsesRequestReaderTests
{
    private static ResponsesReading ReadSample(string name) =>
        ResponsesRequestReader.Read(Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "codex", name + ".json"))));

    private static ResponsesRequest Parse(string json) => JsonSerializer.Deserialize(json, ResponsesJsonContext.Default.ResponsesRequest)!;

    private static ResponsesReading Read(string json) => ResponsesRequestReader.Read(Parse(json));

    [Fact]
    public void CodexTextTurnKeepsItsFunctionToolsAndDropsWhatNoBackendRuns()
    {
        var reading = ReadSample("01-text-unknown-model");
        var request = reading.Request;

        Assert.True(request.Stream);
        Assert.Equal(["exec_command", "write_stdin", "request_user_input", "view_image", "get_goal", "create_goal", "update_goal"], request.Tools.Select(t => t.Name));
        Assert.Equal(["namespace:multi_agent_v1", "web_search"], reading.DroppedTools);
        Assert.Equal("object", request.Tools[0].Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(ToolChoiceMode.Auto, request.ToolChoice!.Mode);
        Assert.True(request.ParallelToolCalls);
        // Codex's developer messages are the system prompt; the user's words come last.
        Assert.Equal([ChatRole.System, ChatRole.System, ChatRole.User, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.StartsWith("You are a coding agent", request.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplayedReasoningCallAndOutputBecomeOneAssistantTurnAndANamedToolResult()
    {
        var messages = ReadSample("05b-reasoning-tool").Request.Messages;

        var assistant = messages[^2];
        Assert.Equal(ChatRole.Assistant, assistant.Role);
        var reasoning = Assert.IsType<ReasoningPart>(assistant.Content[0]);
        Assert.Equal("**Planning** I will run echo.", reasoning.Text);
        Assert.Null(reasoning.Signature); // another server's encrypted content is no signature a backend here could check
        Assert.Equal(new ToolCallPart("call_resp_1", "exec_command", """{"cmd":"echo hi-from-tool"}"""), assistant.Content[1]);
        var result = Assert.Single(messages[^1].ToolResults);
        Assert.Equal(("call_resp_1", "exec_command"), (result.ToolCallId, result.Name));
        Assert.Contains("hi-from-tool", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ParallelCallsShareOneAssistantTurn()
    {
        var messages = ReadSample("06b-parallel-tools").Request.Messages;

        var assistant = messages.Last(m => m.Role == ChatRole.Assistant);
        Assert.Equal(2, assistant.ToolCalls.Count());
        Assert.Equal(2, messages.Count(m => m.Role == ChatRole.Tool));
    }

    [Fact]
    public void AFreeformCustomToolCallIsReplayedAsACallWithItsInput()
    {
        var reading = ReadSample("04b-apply_patch");

        Assert.Contains("custom:apply_patch", reading.DroppedTools);
        Assert.Contains("tool_search", reading.DroppedTools);
        var call = Assert.Single(reading.Request.Messages.SelectMany(m => m.ToolCalls));
        Assert.Equal("apply_patch", call.Name);
        Assert.StartsWith("*** Begin Patch", call.ParseArguments()!.Value.GetProperty("input").GetString(), StringComparison.Ordinal);
        Assert.Contains("A hello.txt", Assert.Single(reading.Request.Messages.SelectMany(m => m.ToolResults)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CompactionMarkersAreSkippedNotRefused()
    {
        var request = ReadSample("09a-remote-compaction-trigger").Request;

        Assert.Equal(ChatRole.Tool, request.Messages[^1].Role);
    }

    [Fact]
    public void OutputSchemaBecomesAJsonSchemaResponseFormat()
    {
        var format = ReadSample("10-output-schema").Request.ResponseFormat!.Value;

        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("codex_output_schema", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal("string", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("greeting").GetProperty("type").GetString());
    }

    [Fact]
    public void ImagesArriveInOrderAmongTheText()
    {
        var content = ReadSample("11-image-input").Request.Messages[^1].Content;

        var image = Assert.IsType<ImagePart>(content[1]);
        Assert.Equal(("image/png", "high"), (image.MediaType, image.Detail));
        Assert.Equal("describe", Assert.IsType<TextPart>(content[^1]).Text);
    }

    [Fact]
    public void StringInputInstructionsAndSettingsMapToTheNeutralRequest()
    {
        var request = Read("""
            {"model":"echo/x","input":"hi","instructions":"Be brief.","max_output_tokens":50,"temperature":0.2,"top_p":0.9,
             "reasoning":{"effort":"high"},"tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,
             "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"}}],"store":false,"metadata":{"a":"b"},"include":["reasoning.encrypted_content"]}
            """).Request;

        Assert.Equal([ChatRole.System, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.Equal(("Be brief.", "hi"), (request.Messages[0].Text, request.Messages[1].Text));
        Assert.Equal((50, 0.2, 0.9, "high"), (request.MaxTokens, request.Temperature, request.TopP, request.ReasoningEffort));
        Assert.Equal(new ToolChoice(ToolChoiceMode.Function, "f"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
    }

    [Fact]
    public void OurOwnReasoningSignatureComesBackByteForByte()
    {
        var request = Read("""
            {"model":"m","input":[{"role":"user","content":"q"},
              {"type":"reasoning","summary":[{"type":"summary_text","text":"hm"}],"encrypted_content":"acptoapi.v1:sig+/=="},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"a"}]},
              {"role":"user","content":"again"}]}
            """).Request;

        Assert.Equal([new ReasoningPart("hm", "sig+/=="), new TextPart("a")], request.Messages[1].Content);
    }

    [Fact]
    public void PreviousTurnsComeBeforeTheNewInputAndTheirInstructionsDoNot()
    {
        List<ChatMessage> history = [ChatMessage.FromText(ChatRole.System, "old"), ChatMessage.FromText(ChatRole.User, "q1"), ChatMessage.FromText(ChatRole.Assistant, "a1")];

        var reading = ResponsesRequestReader.Read(Parse("""{"model":"m","input":"q2","instructions":"new"}"""), history);

        Assert.Equal(["new", "q1", "a1", "q2"], reading.Request.Messages.Select(m => m.Text));
        Assert.Equal(["q2"], reading.Input.Select(m => m.Text));
    }

    [Theory]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":42}""", "input")]
    [InlineData("""{"model":"m","input":[7]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"content":"x"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","name":"f"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_audio"}]}]}""", "input[0].content[0]")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]}""", "input[0].content[0].file_id")]
    [InlineData("""{"model":"m","input":"x","tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens")]
    public void WhatCannotBeUnderstoodIsA400NamingTheField(string json, string param)
    {
        var error = Assert.Throws<ChatBackendException>(() => Read(json));

        Assert.Equal(ChatErrorKind.BadRequest, error.Kind);
        Assert.Equal(param, error.Param);
    }
}
