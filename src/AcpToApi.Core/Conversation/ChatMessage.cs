namespace AcpToApi.Conversation;

/// <summary>One turn of the conversation in protocol-neutral form.</summary>
internal sealed record ChatMessage(ChatRole Role, IReadOnlyList<ContentPart> Content, string? Name = null)
{
    public static ChatMessage FromText(ChatRole role, string text) => new(role, [new TextPart(text)]);

    /// <summary>All text parts joined, the view most backends need.</summary>
    public string Text => string.Concat(Content.OfType<TextPart>().Select(p => p.Text));

    public IEnumerable<ToolCallPart> ToolCalls => Content.OfType<ToolCallPart>();

    public IEnumerable<ToolResultPart> ToolResults => Content.OfType<ToolResultPart>();
}
