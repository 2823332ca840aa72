using System.ClientModel;
using System.Diagnostics;
using System.Net.Http.Json;
using AcpToApi.FakeLlm;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>Client aborts, the concurrency limit and server shutdown, checked against the process table.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeLifecycleTests
{
    [Fact]
    public async Task ClientAbortMidStreamLeavesNoClaudeProcessAlive()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["one ", "two ", "three"], StallAfterTokens = 1 });
        // No draining of the unread response on dispose (SocketsHttpHandler waits up to 2 s by default): the socket closes at once, as when a user hits Ctrl-C.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero }) { BaseAddress = bed.Server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "claude/sonnet", stream = true, messages = new[] { new { role = "user", content = "hi" } } }),
        };

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && !line.Contains("\"content\":\"one \"", StringComparison.Ordinal))
        {
        }
        var pids = bed.ClaudeProcesses();
        Assert.NotEmpty(pids); // mid-stream: the CLI is running, the fake is stalling after the first token

        // Closing the response mid-stream closes the connection: the client is gone.
        var aborted = Stopwatch.GetTimestamp();
        response.Dispose();
        var gone = await Eventually.WaitAsync(() => !pids.Any(ProcessTable.IsAlive) && bed.ClaudeProcesses().Count == 0,
            TimeSpan.FromSeconds(5), "every claude process ending after the client aborted");
        TestContext.Current.TestOutputHelper?.WriteLine($"client abort -> no claude process alive: {gone.TotalMilliseconds:0.0} ms");

        var upstream = await bed.UpstreamMessageAsync();
        var outcome = await upstream.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind); // the CLI's own upstream request died with it
        Assert.True(gone < TimeSpan.FromSeconds(1), $"the process tree outlived the client by {gone.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task PastTheConcurrencyLimitARequestWaitsBrieflyThenGets429WithRetryAfter()
    {
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudeMaxConcurrency"] = "1", ["claudeQueueTimeoutSeconds"] = "0.3" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["held"], StallAfterTokens = 0 });
        using var first = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var holding = bed.Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: first.Token);
        await bed.UpstreamMessageAsync(); // the only slot is taken

        var started = Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            bed.Client().CompleteChatAsync([new UserChatMessage("second")], cancellationToken: TestContext.Current.CancellationToken));
        var waited = Stopwatch.GetElapsedTime(started);

        Assert.Equal(429, error.Status);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter), "429 without Retry-After");
        Assert.Equal("1", retryAfter);
        Assert.True(waited >= TimeSpan.FromMilliseconds(290), $"answered after {waited.TotalMilliseconds} ms, before the queue wait");
        Assert.NotEmpty(bed.ClaudeProcesses()); // the first request's process, still holding the slot
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding);
    }

    [Fact]
    public async Task PastTheConcurrencyLimitARequestQueuesUntilTheSlotIsFree()
    {
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudeMaxConcurrency"] = "1", ["claudeQueueTimeoutSeconds"] = "30" });
        bed.Fake.SetDefault(new FakeScript { Tokens = ["a", "b", "c"], DelayMs = 100 });

        var first = bed.Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: TestContext.Current.CancellationToken);
        var firstUpstream = await bed.UpstreamMessageAsync();
        var second = bed.Client().CompleteChatAsync([new UserChatMessage("second")], cancellationToken: TestContext.Current.CancellationToken);
        await Task.WhenAll(first, second);

        var upstream = bed.Fake.Requests.Where(r => r.Path == "/v1/messages").ToList();
        Assert.Equal(2, upstream.Count);
        var firstDone = (await firstUpstream.Completion).At;
        Assert.True(upstream[1].ReceivedAt >= firstDone, "the second claude process started while the first was still running");
        Assert.Equal("abc", (await second).Value.Content.Single().Text);
    }

    [Fact]
    public async Task ServerShutdownKillsRunningClaudeProcesses()
    {
        var bed = await ClaudeTestBed.StartAsync();
        await using var _ = bed;
        bed.Fake.Enqueue(new FakeScript { Tokens = ["held"], StallAfterTokens = 0 });
        var running = bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);
        await bed.UpstreamMessageAsync();
        var pids = bed.ClaudeProcesses();
        Assert.NotEmpty(pids);

        var stopping = Stopwatch.GetTimestamp();
        await bed.Server.DisposeAsync();
        var stopped = Stopwatch.GetElapsedTime(stopping);

        Assert.DoesNotContain(pids, ProcessTable.IsAlive);
        Assert.Empty(bed.ClaudeProcesses());
        Assert.True(stopped < TimeSpan.FromSeconds(10), $"shutdown took {stopped.TotalSeconds:0.0} s");
        await Assert.ThrowsAnyAsync<Exception>(() => running);
    }
}
