using OpenAI.Chat;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>What an OpenAI SDK client saw of one streamed chat: each non-empty text delta, the usage, the finish reason, the ids.</summary>
public sealed record StreamedChat(List<string> Deltas, ChatTokenUsage? Usage, ChatFinishReason? Finish, HashSet<string> CompletionIds)
{
    public static async Task<StreamedChat> CollectAsync(IAsyncEnumerable<StreamingChatCompletionUpdate> updates)
    {
        var deltas = new List<string>();
        var ids = new HashSet<string>();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in updates)
        {
            ids.Add(update.CompletionId);
            deltas.AddRange(update.ContentUpdate.Select(p => p.Text).Where(t => t.Length > 0));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }
        return new StreamedChat(deltas, usage, finish, ids);
    }
}
