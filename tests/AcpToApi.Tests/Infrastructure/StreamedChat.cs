using AcpToApi.FakeLlm;
using OpenAI.Chat;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>What an OpenAI SDK client saw of one streamed chat: each non-empty text delta, the usage, the finish reason, the ids.</summary>
public sealed record StreamedChat(List<string> Deltas, ChatTokenUsage? Usage, ChatFinishReason? Finish, HashSet<string> CompletionIds)
{
    public static Task<StreamedChat> CollectAsync(IAsyncEnumerable<StreamingChatCompletionUpdate> updates) => CollectAsync(updates, 0, null);

    /// <summary>
    /// Proves by order, not by time, that the stream is not buffered. The upstream's script holds its text token
    /// <paramref name="heldAfter"/> + 1 (<see cref="FakeScript.HoldAfterTokens"/>) until the test releases it: the client must
    /// see the first <paramref name="heldAfter"/> text deltas meanwhile, while the fake has provably sent no more, and only
    /// then is the upstream released. A gateway that buffers fails here, after <see cref="Eventually.Bound"/>, instead of hanging.
    /// </summary>
    public static async Task<StreamedChat> CollectAsync(IAsyncEnumerable<StreamingChatCompletionUpdate> updates, int heldAfter, Func<Task<RecordedRequest>>? upstream)
    {
        var deltas = new List<string>();
        var ids = new HashSet<string>();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        var released = upstream is null;
        // Disposed only after a normal end: the SDK's enumerator cannot be disposed while a read is pending, and a failed
        // bounded read must report itself, not that.
        var enumerator = updates.GetAsyncEnumerator(TestContext.Current.CancellationToken);
        while (true)
        {
            var more = released
                ? await enumerator.MoveNextAsync()
                : await Eventually.WaitAsync(enumerator.MoveNextAsync().AsTask(),
                    $"text delta {deltas.Count + 1} reaching the client while the upstream holds its token {heldAfter + 1} (does the gateway buffer?)");
            if (!more)
            {
                break;
            }
            var update = enumerator.Current;
            ids.Add(update.CompletionId);
            deltas.AddRange(update.ContentUpdate.Select(p => p.Text).Where(t => t.Length > 0));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
            if (!released && deltas.Count >= heldAfter)
            {
                // The client has these deltas, and the upstream is waiting to send the next one: nothing was held back.
                var held = await Eventually.WaitAsync(upstream!(), "the upstream request");
                await Eventually.WaitAsync(held.Held, "the upstream holding its next token");
                held.Release();
                released = true;
            }
        }
        await enumerator.DisposeAsync();
        Assert.True(released, $"the stream ended before the client saw {heldAfter} text deltas");
        return new StreamedChat(deltas, usage, finish, ids);
    }
}
