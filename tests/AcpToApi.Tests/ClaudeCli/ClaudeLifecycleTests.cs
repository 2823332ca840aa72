using System.ClientModel;
using System.Net.Http.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>
/// Client aborts, the concurrency limit and server shutdown, checked against the process table. Each waits for the event
/// (a process gone, a 429) with a generous bound; none measures how long it took. The gateway's clock stands still, so no
/// idle timeout ends a request behind the test's back.
/// </summary>
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
        Assert.NotEmpty(pids); // mid-stream: the CLI is running, the fake is stalling after the first token (for ever, until someone leaves)

        // Closing the response mid-stream closes the connection: the client is gone.
        response.Dispose();
        await Eventually.WaitAsync(() => !pids.Any(ProcessTable.IsAlive) && bed.ClaudeProcesses().Count == 0,
            "every claude process ending after the client aborted");

        var upstream = await bed.UpstreamMessageAsync();
        var outcome = await Eventually.WaitAsync(upstream.Completion, "the CLI's upstream request ending");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind); // the CLI's own upstream request died with it
    }

    [Fact]
    public async Task PastTheConcurrencyLimitARequestWaitsOutTheQueueTimeoutThenGets429WithRetryAfter()
    {
        var queueTimeout = TimeSpan.FromSeconds(5);
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudeMaxConcurrency"] = "1", ["claudeQueueTimeoutSeconds"] = "5" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["held"], StallAfterTokens = 0 });
        using var first = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var holding = bed.Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: first.Token);
        await bed.UpstreamMessageAsync(); // the only slot is taken

        var second = bed.Client().CompleteChatAsync([new UserChatMessage("second")], cancellationToken: TestContext.Current.CancellationToken);
        await bed.Clock.WaitForTimerAsync(queueTimeout); // the second request waits in the queue, on the gateway's clock
        bed.Clock.Advance(queueTimeout);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Eventually.WaitAsync(second, "the queued request's answer"));

        Assert.Equal(429, error.Status);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter), "429 without Retry-After");
        Assert.Equal("5", retryAfter);
        Assert.NotEmpty(bed.ClaudeProcesses()); // the first request's process, still holding the slot
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding);
    }

    [Fact]
    public async Task PastTheConcurrencyLimitARequestQueuesUntilTheSlotIsFree()
    {
        var queueTimeout = TimeSpan.FromSeconds(30);
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudeMaxConcurrency"] = "1", ["claudeQueueTimeoutSeconds"] = "30" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], HoldAfterTokens = 1 });
        bed.Fake.SetDefault(new FakeScript { Tokens = ["a", "b", "c"] });

        var first = bed.Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: TestContext.Current.CancellationToken);
        var firstUpstream = await bed.UpstreamMessageAsync();
        await Eventually.WaitAsync(firstUpstream.Held, "the first request's upstream holding");
        var second = bed.Client().CompleteChatAsync([new UserChatMessage("second")], cancellationToken: TestContext.Current.CancellationToken);
        await bed.Clock.WaitForTimerAsync(queueTimeout); // the second request is queued, behind the first

        Assert.Single(bed.Fake.Requests, r => r.Path == "/v1/messages"); // no second claude process has called upstream
        Assert.Single(bed.ClaudeProcesses());
        firstUpstream.Release();
        await Eventually.WaitAsync(Task.WhenAll(first, second), "both requests completing once the first one's slot is free");

        Assert.Equal(2, bed.Fake.Requests.Count(r => r.Path == "/v1/messages"));
        Assert.Equal("abc", (await first).Value.Content.Single().Text);
        Assert.Equal("abc", (await second).Value.Content.Single().Text);
    }

    [Fact]
    public async Task ServerShutdownKillsRunningClaudeProcesses()
    {
        // A graceful-shutdown window far longer than the bound below: the stop finishes within it only if the gateway
        // ends the running request itself, by killing its process, instead of waiting for it.
        var bed = await ClaudeTestBed.StartAsync(services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10)));
        await using var _ = bed;
        bed.Fake.Enqueue(new FakeScript { Tokens = ["held"], StallAfterTokens = 0 });
        var running = bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);
        await bed.UpstreamMessageAsync();
        var pids = bed.ClaudeProcesses();
        Assert.NotEmpty(pids);

        await Eventually.WaitAsync(bed.Server.DisposeAsync().AsTask(), "the server stopping while a claude process runs");

        Assert.DoesNotContain(pids, ProcessTable.IsAlive);
        Assert.Empty(bed.ClaudeProcesses());
        await Assert.ThrowsAnyAsync<Exception>(() => running);
    }
}
