using System.Text.Json;

namespace AcpToApi.Conversation;

/// <summary>
/// A chat request in protocol-neutral form. System instructions stay in <see cref="Messages"/>
/// with the system role, where the client put them.
/// </summary>
internal sealed record ChatRequest
{
    /// <summary>The model id: as the client sent it until routing, then the backend's own model name.</summary>
    public required string Model { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public int? MaxTokens { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public long? Seed { get; init; }

    /// <summary>OpenAI-style response_format object, kept opaque.</summary>
    public JsonElement? ResponseFormat { get; init; }

    public string? User { get; init; }

    /// <summary>Reasoning effort hint (low, medium, high) when the client asked for one.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>Thinking token budget when the client asked for extended thinking.</summary>
    public int? ThinkingBudget { get; init; }

    public bool Stream { get; init; }

    /// <summary>The system text: every text part of every system message, in order, joined by blank lines.</summary>
    public string? SystemText
    {
        get
        {
            var parts = Messages.Where(m => m.Role == ChatRole.System)
                .SelectMany(m => m.Content.OfType<TextPart>())
                .Select(p => p.Text)
                .Where(t => t.Length > 0)
                .ToList();
            return parts.Count == 0 ? null : string.Join("\n\n", parts);
        }
    }

    /// <summary>The last user message's text, or an empty string.</summary>
    public string LastUserText => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
}
