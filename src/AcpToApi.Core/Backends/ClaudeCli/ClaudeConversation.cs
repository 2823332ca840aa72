using AcpToApi.Backends.AgentSessions;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// One request seen as a conversation: the turns before it (<see cref="History"/>), what it adds (<see cref="NewInput"/>:
/// the messages after the last assistant turn), whether that is tool results, the keys under which a kept process for
/// it is found, and how a new process must start when none is.
/// </summary>
internal sealed class ClaudeConversation
{
    private readonly int _newStart;

    public ClaudeConversation(ChatRequest request, string model, IReadOnlyList<ToolDefinition> tools, string placement)
    {
        Request = request;
        Model = model;
        Tools = tools;
        Placement = placement;
        _newStart = ConversationKey.NewInputStart(request.Messages);
        History = [.. request.Messages.Take(_newStart).Where(m => m.Role != ChatRole.System)];
        NewInput = [.. request.Messages.Skip(_newStart).Where(m => m.Role != ChatRole.System)];
        ToolResults = ConversationKey.NewToolResults(request.Messages);
        HasToolResults = NewInput.Any(m => m.ToolResults.Any());
    }

    public ChatRequest Request { get; }

    public string Model { get; }

    public IReadOnlyList<ToolDefinition> Tools { get; }

    public string Placement { get; }

    public IReadOnlyList<ChatMessage> History { get; }

    public IReadOnlyList<ChatMessage> NewInput { get; }

    /// <summary>The tool results this request consists of, or null when it brings anything else.</summary>
    public IReadOnlyList<ToolResultPart>? ToolResults { get; }

    private bool HasToolResults { get; }

    public bool HasHistory => History.Count > 0;

    /// <summary>The client's system text when it goes into the first user turn (placement <c>user</c>).</summary>
    private string? Instructions => Placement == ClaudePlacements.User ? Request.SystemText : null;

    /// <summary>The key of the conversation this request continues (everything before its new input).</summary>
    public string KeyBefore() => ConversationKey.Of(Model, Tools, Request.Messages.Take(_newStart));

    /// <summary>The key the next request will look for once <paramref name="answer"/> is part of the conversation.</summary>
    public string KeyAfter(ChatResponse answer)
    {
        var parts = answer.Content.Where(p => p is TextPart or ToolCallPart or ImagePart).ToList();
        return ConversationKey.Of(Model, Tools, [.. Request.Messages, new ChatMessage(ChatRole.Assistant, parts)]);
    }

    /// <summary>The user line of the next turn for a process that already holds the history.</summary>
    public string NextTurnLine() => ClaudePromptBuilder.UserLine(NewInput, null);

    /// <summary>
    /// How a new process starts: with no history, the new input is its first turn; with history, the history goes into
    /// a session file (real turns) and the new input is the live turn; when the new input holds tool results (the CLI
    /// cannot take them as a live turn) or no session file can be written, everything goes as one transcript line.
    /// </summary>
    public ClaudeStartPlan PlanFresh(bool canResume)
    {
        var plainSystem = Placement == ClaudePlacements.User || Request.SystemText is null;
        if (HasToolResults || (HasHistory && !canResume))
        {
            return new ClaudeStartPlan(ClaudePromptBuilder.Transcript(Request, Instructions), null, Warm: Tools.Count == 0 && plainSystem);
        }
        if (HasHistory)
        {
            return new ClaudeStartPlan(ClaudePromptBuilder.UserLine(NewInput, null), WithInstructions(History), Warm: false);
        }
        return new ClaudeStartPlan(ClaudePromptBuilder.UserLine(NewInput, Instructions), null, Warm: Tools.Count == 0 && plainSystem);
    }

    /// <summary>The history with the client's instructions at the top of its first user turn (placement <c>user</c>).</summary>
    private List<ChatMessage> WithInstructions(IReadOnlyList<ChatMessage> history)
    {
        var messages = history.ToList();
        var first = messages.FindIndex(m => m.Role == ChatRole.User);
        if (Instructions is { } instructions && first >= 0)
        {
            messages[first] = messages[first] with { Content = [new TextPart(ClaudePromptBuilder.WithInstructions(instructions, "")), .. messages[first].Content] };
        }
        return messages;
    }
}

/// <summary>The first stdin line of a new process, the earlier turns for its session file, and whether a warm process can serve.</summary>
internal sealed record ClaudeStartPlan(string FirstLine, IReadOnlyList<ChatMessage>? History, bool Warm);
