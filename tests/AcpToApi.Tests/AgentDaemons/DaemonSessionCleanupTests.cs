using System.Net.Http.Json;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Backends.OpenCode;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>
/// Faults around the daemons' sessions, each on a daemon of its own (one test kills it): every session the gateway
/// created is deleted, also when the client left before the first byte and when the daemon died mid-stream (then once
/// it is back); a model call that fails after part of the answer went out, which the daemon retries, ends the stream
/// with an error instead of the failed attempt's text plus the whole retried answer marked complete.
/// </summary>
public sealed class DaemonSessionCleanupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Require(string kind) => TestEnvironment.Require(AgentDaemon.IsInstalled(kind), $"the pinned {kind} binary ({AgentDaemon.BinaryPath(kind)})");

    private static async Task<(AgentDaemon Daemon, GatewayServer Gateway)> StartAsync(string kind)
    {
        var daemon = await AgentDaemon.StartAsync(kind);
        // The first provider listing is slow on a busy machine; asked of the daemon itself, with a generous bound.
        using (var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) })
        {
            (await http.GetAsync(new Uri(daemon.BaseUrl, "config/providers"), Ct)).EnsureSuccessStatusCode();
        }
        var gateway = await GatewayServer.StartAsync(settings: new() { [kind] = daemon.BaseUrl.ToString() }, time: new FakeClock());
        return (daemon, gateway);
    }

    private static ServeApiBackend Backend(GatewayServer gateway, string kind) =>
        (ServeApiBackend)gateway.Services.GetRequiredService<BackendRouter>().Registrations.Single(r => r.Prefix == kind).Backend;

    private static async Task<List<string>> SessionTitlesAsync(AgentDaemon daemon)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sessions = await http.GetFromJsonAsync<JsonElement>(new Uri(daemon.BaseUrl, "session"), Ct);
        return [.. sessions.EnumerateArray().Select(s => s.GetProperty("title").GetString() ?? "")];
    }

    private static JsonContent Body(string kind, string prompt) => JsonContent.Create(new Dictionary<string, object>
    {
        ["model"] = kind + "/" + AgentDaemon.FakeModel,
        ["stream"] = true,
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
    });

    [Theory]
    [InlineData("opencode")]
    [InlineData("kilo")]
    public async Task ClientsThatLeaveBeforeTheFirstByteLeaveNoSession(string kind)
    {
        Require(kind);
        var (daemon, gateway) = await StartAsync(kind);
        await using var ownDaemon = daemon;
        await using var ownGateway = gateway;
        await using var watcher = await DaemonEventWatcher.StartAsync(daemon.BaseUrl);
        var nonce = "leaver-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseUrl };

        for (var i = 0; i < 5; i++)
        {
            // Each client leaves the moment the daemon has created its session: the gateway may still be waiting for
            // POST /session to answer, or subscribing, or prompting. None of that may leave the session behind.
            using var leaving = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var created = watcher.Events.Count(e => e.Type == "session.created");
            var sending = http.PostAsync("/v1/chat/completions", Body(kind, $"{nonce} {i}: {new FakeScript { Tokens = ["late"], DelayMs = 1 }.ToDirective()}"), leaving.Token);
            await watcher.WaitForAsync(e => e.Type == "session.created" && e.Data.Contains(nonce, StringComparison.Ordinal)
                && watcher.Events.Count(x => x.Type == "session.created") > created);
            await leaving.CancelAsync();
            try
            {
                using var response = await sending;
            }
            catch (OperationCanceledException)
            {
                // Left, as intended.
            }
        }

        await Eventually.WaitAsync(async () =>
        {
            await Backend(gateway, kind).PendingCleanups;
            return !(await SessionTitlesAsync(daemon)).Any(t => t.Contains(nonce, StringComparison.Ordinal));
        }, $"{kind}: every session of the clients that left being deleted");
        Assert.Equal(5, watcher.Events.Count(e => e.Type == "session.created" && e.Data.Contains(nonce, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("opencode")]
    [InlineData("kilo")]
    public async Task ASessionOfADaemonKilledMidStreamIsDeletedWhenTheDaemonIsBack(string kind)
    {
        Require(kind);
        var (daemon, gateway) = await StartAsync(kind);
        await using var ownDaemon = daemon;
        await using var ownGateway = gateway;
        var nonce = "killed-" + Guid.NewGuid().ToString("N")[..8];
        using var http = gateway.CreateHttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Body(kind, $"{nonce}: {new FakeScript { Tokens = ["one", " two", " three"], StallAfterTokens = 1 }.ToDirective()}"),
        };
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        await reader.ReadUntilAsync(f => RawSse.Content([f]) == "one", "the first delta");

        await daemon.KillAsync();
        var rest = await reader.ReadToEndAsync(Ct);
        Assert.True(rest[^1].Json.TryGetProperty("error", out _), "the stream must end with an error chunk");
        var backend = Backend(gateway, kind);
        await backend.PendingCleanups.WaitAsync(Eventually.Bound, Ct);
        Assert.Equal(1, backend.OrphanedSessions); // could not be deleted: the daemon was down

        await daemon.RestartAsync();
        Assert.Contains(await SessionTitlesAsync(daemon), t => t.Contains(nonce, StringComparison.Ordinal)); // the daemon kept it
        // The next request (any) finds the daemon back and deletes what it could not before.
        using var next = await http.PostAsync("/v1/chat/completions", Body(kind, "after the restart"), Ct);
        Assert.Equal(200, (int)next.StatusCode);
        await next.Content.ReadAsStringAsync(Ct);

        await Eventually.WaitAsync(async () =>
        {
            await backend.PendingCleanups;
            return backend.OrphanedSessions == 0 && !(await SessionTitlesAsync(daemon)).Any(t => t.StartsWith("acptoapi:", StringComparison.Ordinal));
        }, $"{kind}: the killed request's session being deleted once the daemon is back");
    }

    [Theory]
    [InlineData("opencode")]
    [InlineData("kilo")]
    public async Task AModelCallThatFailsMidAnswerAndIsRetriedEndsTheStreamWithAnError(string kind)
    {
        Require(kind);
        var (daemon, gateway) = await StartAsync(kind);
        await using var ownDaemon = daemon;
        await using var ownGateway = gateway;
        // The first model call sends two ticks, holds until the client has them, then its connection is cut; opencode
        // retries, and the retry (steered by the prompt's directive) would answer four ticks from the start.
        daemon.Fake.Enqueue(new FakeScript { Tokens = ["tick ", "tick ", "tick ", "tick "], HoldAfterTokens = 2, AbortAfterTokens = 2 });
        using var http = gateway.CreateHttpClient();
        using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = kind + "/" + AgentDaemon.FakeModel,
                ["stream"] = true,
                ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = "ticks " + new FakeScript { Tokens = ["tick ", "tick ", "tick ", "tick "] }.ToDirective() } },
            }), Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var received = "";
        // The failed attempt's text reaches the client before the cut (by order: the fake holds until the client has it;
        // had nothing been sent, the retry would rightly continue silently).
        var (_, frames) = await reader.ReadWhileHoldingAsync(frame => (received += RawSse.Content([frame])) == "tick tick ",
            () => daemon.Fake.Requests.First(r => r.Held.IsCompleted), $"{kind}: the failed attempt's two ticks");

        Assert.Equal(200, (int)response.StatusCode);
        // What the failed attempt sent, never more: no retried ticks after it.
        var content = RawSse.Content(frames);
        Assert.Equal("tick tick ", content);
        Assert.True(frames[^1].Json.TryGetProperty("error", out var error), "the stream must end with an error chunk");
        // opencode retries a cut connection (the gateway ends the stream); kilo gives up on it itself (its session.error ends it).
        Assert.Contains(kind == "opencode" ? "retrying" : "Connection reset", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");
        await Eventually.WaitAsync(async () =>
        {
            await Backend(gateway, kind).PendingCleanups;
            return !(await SessionTitlesAsync(daemon)).Any(t => t.StartsWith("acptoapi:", StringComparison.Ordinal));
        }, $"{kind}: the failed request's session being deleted");
    }
}
