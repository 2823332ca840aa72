using System.Text.Json;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Backends.ClaudeCli;

/// <summary>How a request continues a kept claude process, or how a new one starts.</summary>
public sealed class ClaudeConversationTests
{
    private static readonly ToolDefinition Weather = new("get_weather", null, JsonDocument.Parse("""{"type":"object"}""").RootElement);

    private static ClaudeConversation Of(string placement, params ChatMessage[] messages) =>
        new(new ChatRequest { Model = "sonnet", Messages = messages }, "sonnet", [Weather], placement);

    [Fact]
    public void TheKeyAfterAnAnswerIsTheKeyTheNextTurnLooksForEvenWhenTheClientReformatsArguments()
    {
        var first = Of(ClaudePlacements.User, ChatMessage.FromText(ChatRole.System, "be brief"), ChatMessage.FromText(ChatRole.User, "Oslo?"));
        var answer = new ChatResponse("m", "sonnet", [new ReasoningPart("hm", "sig"), new TextPart("Checking."), new ToolCallPart("toolu_1", "get_weather", """{"city":"Oslo"}""")],
            null, StopReason.EndTurn);

        var next = Of(ClaudePlacements.User,
            ChatMessage.FromText(ChatRole.System, "be brief"),
            ChatMessage.FromText(ChatRole.User, "Oslo?"),
            new ChatMessage(ChatRole.Assistant, [new TextPart("Checking."), new ToolCallPart("toolu_1", "get_weather", """{ "city": "Oslo" }""")]),
            ChatMessage.FromText(ChatRole.User, "And Bergen?"));

        Assert.Equal(first.KeyAfter(answer), next.KeyBefore());
        Assert.Null(next.ToolResults);
    }

    [Fact]
    public void AnEditedEarlierTurnOrAnotherSystemPromptIsAnotherConversation()
    {
        ChatMessage[] turns = [ChatMessage.FromText(ChatRole.User, "q1"), ChatMessage.FromText(ChatRole.Assistant, "a1"), ChatMessage.FromText(ChatRole.User, "q2")];
        var key = Of(ClaudePlacements.User, turns).KeyBefore();

        Assert.NotEqual(key, Of(ClaudePlacements.User, ChatMessage.FromText(ChatRole.User, "q1!"), turns[1], turns[2]).KeyBefore());
        Assert.NotEqual(key, Of(ClaudePlacements.User, [ChatMessage.FromText(ChatRole.System, "s"), .. turns]).KeyBefore());
    }

    [Fact]
    public void ToolResultsAloneContinueAParkedTurnAndANewProcessGetsThemAsATranscript()
    {
        var conversation = Of(ClaudePlacements.User,
            ChatMessage.FromText(ChatRole.User, "Oslo?"),
            new ChatMessage(ChatRole.Assistant, [new ToolCallPart("toolu_1", "get_weather", "{}")]),
            new ChatMessage(ChatRole.Tool, [new ToolResultPart("toolu_1", "get_weather", [new TextPart("rain")])]));

        Assert.Equal("toolu_1", Assert.Single(conversation.ToolResults!).ToolCallId);
        var plan = conversation.PlanFresh(canResume: true);
        Assert.Null(plan.History);
        Assert.Contains("<tool_result id=\\\"toolu_1\\\"", plan.FirstLine, StringComparison.Ordinal);
    }

    [Fact]
    public void WithHistoryANewProcessGetsEarlierTurnsAsRealTurnsWithTheInstructionsOnTopOfTheFirst()
    {
        var conversation = Of(ClaudePlacements.User,
            ChatMessage.FromText(ChatRole.System, "be brief"),
            ChatMessage.FromText(ChatRole.User, "q1"),
            ChatMessage.FromText(ChatRole.Assistant, "a1"),
            ChatMessage.FromText(ChatRole.User, "q2"));

        var plan = conversation.PlanFresh(canResume: true);

        Assert.False(plan.Warm);
        Assert.Equal(["<instructions>\nbe brief\n</instructions>\n\nq1", "a1"], plan.History!.Select(m => m.Text));
        Assert.Equal("""{"type":"user","message":{"role":"user","content":[{"type":"text","text":"q2"}]}}""", plan.FirstLine);
    }

    [Fact]
    public void AFirstTurnCanUseAWarmProcessUnlessItsSystemPromptMustReplaceClaudeCodes()
    {
        Assert.True(Of(ClaudePlacements.User, ChatMessage.FromText(ChatRole.System, "s"), ChatMessage.FromText(ChatRole.User, "q")).PlanFresh(true).Warm is false); // it has tools
        var noTools = new ClaudeConversation(new ChatRequest { Model = "sonnet", Messages = [ChatMessage.FromText(ChatRole.System, "s"), ChatMessage.FromText(ChatRole.User, "q")] },
            "sonnet", [], ClaudePlacements.Replace);
        Assert.False(noTools.PlanFresh(true).Warm);
        var plain = new ClaudeConversation(new ChatRequest { Model = "sonnet", Messages = [ChatMessage.FromText(ChatRole.User, "q")] }, "sonnet", [], ClaudePlacements.Replace);
        Assert.True(plain.PlanFresh(true).Warm);
    }
}
