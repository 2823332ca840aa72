namespace AcpToApi.Conversation;

/// <summary>
/// The non-system messages as strictly alternating user / assistant turns, for upstreams that demand it (Anthropic
/// Messages, Bedrock Converse): tool results go in user turns, consecutive turns of one role are merged, empty text
/// and reasoning without a signature (which those upstreams reject) are left out.
/// </summary>
internal static class ConversationTurns
{
    public static List<(string Role, List<ContentPart> Parts)> Alternating(IReadOnlyList<ChatMessage> messages)
    {
        var turns = new List<(string Role, List<ContentPart> Parts)>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }
            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            var parts = message.Content
                .Where(p => p is not ReasoningPart { Signature: null } and not TextPart { Text.Length: 0 })
                .ToList();
            if (parts.Count == 0)
            {
                continue;
            }
            if (turns.Count > 0 && turns[^1].Role == role)
            {
                turns[^1].Parts.AddRange(parts);
                continue;
            }
            turns.Add((role, parts));
        }
        return turns;
    }
}
