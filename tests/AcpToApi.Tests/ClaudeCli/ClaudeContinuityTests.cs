using System.Text.Json;
using AcpToApi.FakeLlm;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>
/// One claude process per conversation: later turns are real turns to the same process; an edited history or a restart
/// falls back to a new process that gets the history as real turns; where the client's instructions go; cache usage.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeContinuityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<JsonElement> Upstream(ClaudeTestBed bed) =>
        [.. bed.Fake.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/messages").Select(r => r.Json!.Value)];

    /// <summary>Each upstream message as (role, its text), the CLI's own date reminder left out.</summary>
    private static List<(string Role, string Text)> Turns(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, Text(m.GetProperty("content"))))];

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "text" && !b.GetProperty("text").GetString()!.StartsWith("<system-reminder>", StringComparison.Ordinal))
            .Select(b => b.GetProperty("text").GetString()));

    [Fact]
    public async Task ThreeTurnsGoToOneProcessAndReachTheUpstreamAsRealTurns()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["one"] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["two"] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["three"] });
        List<ChatMessage> messages = [new SystemChatMessage("Be brief."), new UserChatMessage("first")];

        messages.Add(new AssistantChatMessage((await bed.Client().CompleteChatAsync(messages, cancellationToken: Ct)).Value));
        var process = Assert.Single(bed.ClaudeProcesses());
        messages.Add(new UserChatMessage("second"));
        messages.Add(new AssistantChatMessage((await bed.Client().CompleteChatAsync(messages, cancellationToken: Ct)).Value));
        messages.Add(new UserChatMessage("third"));
        ChatCompletion third = await bed.Client().CompleteChatAsync(messages, cancellationToken: Ct);

        Assert.Equal("three", third.Content.Single().Text);
        Assert.Equal([process], bed.ClaudeProcesses()); // no new process for turns 2 and 3
        var requests = Upstream(bed);
        Assert.Equal(3, requests.Count);
        Assert.Equal([("user", "first"), ("assistant", "one"), ("user", "second"), ("assistant", "two"), ("user", "third")], Turns(requests[2]));
        Assert.DoesNotContain("conversation_history", requests[2].GetProperty("messages").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedHistoryGoesToANewProcessThatStillSeesEveryTurnAsARealTurn()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["one"] });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["edited answer"] });
        await bed.Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: Ct);
        var first = Assert.Single(bed.ClaudeProcesses());

        ChatCompletion answer = await bed.Client().CompleteChatAsync(
            [new UserChatMessage("first, edited"), new AssistantChatMessage("one"), new UserChatMessage("second")], cancellationToken: Ct);

        Assert.Equal("edited answer", answer.Content.Single().Text);
        Assert.Equal(2, bed.ClaudeProcesses().Count); // the first conversation's process is kept; the edited one got its own
        Assert.Contains(first, bed.ClaudeProcesses());
        Assert.Equal([("user", "first, edited"), ("assistant", "one"), ("user", "second")], Turns(Upstream(bed)[1]));
    }

    [Fact]
    public async Task UserPlacementKeepsClaudeCodesOwnPromptAndPutsTheInstructionsAtTheTopOfTheFirstUserTurn()
    {
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudePromptPlacement"] = "user" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["ok"] });

        await bed.Client().CompleteChatAsync([new SystemChatMessage("Answer in French."), new UserChatMessage("hello")], cancellationToken: Ct);

        var request = Upstream(bed).Single();
        var system = string.Concat(request.GetProperty("system").EnumerateArray().Select(b => b.GetProperty("text").GetString()));
        Assert.DoesNotContain("Answer in French.", system, StringComparison.Ordinal);
        Assert.True(system.Length > 5000, $"Claude Code's own system prompt should be there ({system.Length} chars)");
        Assert.Equal([("user", "<instructions>\nAnswer in French.\n</instructions>\n\nhello")], Turns(request));
    }

    [Fact]
    public async Task CacheReadsAndWritesReachTheClientsUsage()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["cached"], InputTokens = 5, CacheReadTokens = 3400, CacheWriteTokens = 1200 });

        ChatCompletion answer = await bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct);

        // OpenAI counts cached tokens in prompt_tokens and names them in prompt_tokens_details.cached_tokens.
        Assert.Equal(5 + 3400 + 1200, answer.Usage.InputTokenCount);
        Assert.Equal(3400, answer.Usage.InputTokenDetails.CachedTokenCount);
    }
}
