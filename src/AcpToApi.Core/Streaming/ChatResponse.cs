using AcpToApi.Conversation;

namespace AcpToApi.Streaming;

/// <summary>A whole response, folded from the event stream by <see cref="ChatResponseAggregator"/>.</summary>
internal sealed record ChatResponse(
    string? Id,
    string? Model,
    IReadOnlyList<ContentPart> Content,
    ChatUsage? Usage,
    StopReason StopReason,
    string? StopSequence = null)
{
    public string Text => string.Concat(Content.OfType<TextPart>().Select(p => p.Text));

    public string? Reasoning
    {
        get
        {
            var text = string.Concat(Content.OfType<ReasoningPart>().Select(p => p.Text));
            return text.Length == 0 ? null : text;
        }
    }

    public IEnumerable<ToolCallPart> ToolCalls => Content.OfType<ToolCallPart>();
}
