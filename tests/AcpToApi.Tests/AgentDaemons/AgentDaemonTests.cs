using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Streaming;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>
/// The real opencode / kilo daemon behind the gateway, judged by the official OpenAI .NET SDK (and raw SSE where the SDK
/// hides a field). The fake LLM upstream is steered by <c>[[fake {json}]]</c> directives inside the prompt, so the
/// agent in between sees an ordinary user message.
/// </summary>
public abstract class AgentDaemonTests(AgentDaemonFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected AgentDaemonFixture Fixture => fixture;

    protected string Model => fixture.Kind + "/" + AgentDaemon.FakeModel;

    /// <summary>A fake script that makes the agent call a tool needing permission, and the tool's name.</summary>
    protected abstract (FakeScript Script, string Tool) PermissionScript { get; }

    private ChatClient Client() =>
        new(Model, new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = fixture.Gateway.OpenAIEndpoint, NetworkTimeout = TimeSpan.FromSeconds(90) });

    private void Require() => TestEnvironment.Require(fixture.Installed, $"the pinned {fixture.Kind} binary ({AgentDaemon.BinaryPath(fixture.Kind)})");

    private static string Prompt(string nonce, FakeScript script) => $"{nonce}: {script.ToDirective()}";

    private static string Nonce() => "req-" + Guid.NewGuid().ToString("N")[..12];

    private Task<RecordedRequest> UpstreamAsync(string nonce) =>
        fixture.Daemon.Fake.WaitForRequestAsync(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal) && r.Body.Contains(nonce, StringComparison.Ordinal),
            Eventually.Bound, Ct);

    private RecordedRequest Upstream(string nonce) =>
        fixture.Daemon.Fake.Requests.First(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal) && r.Body.Contains(nonce, StringComparison.Ordinal));

    [Fact]
    public async Task TextStreamsFrameByFrameWhileTheUpstreamHoldsItsNextToken()
    {
        Require();
        var nonce = Nonce();
        var script = new FakeScript { Tokens = ["alpha", " beta", " gamma", " delta", " epsilon", " zeta"], HoldAfterTokens = 2 };

        // The first two deltas reach the client, one frame each, while the fake holds the third token.
        var (deltas, usage, finish, _) = await StreamedChat.CollectAsync(
            Client().CompleteChatStreamingAsync([new UserChatMessage(Prompt(nonce, script))], cancellationToken: Ct), heldAfter: 2, () => UpstreamAsync(nonce));

        Assert.Equal(["alpha", " beta"], deltas[..2]);
        Assert.Equal("alpha beta gamma delta epsilon zeta", string.Concat(deltas));
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(11, usage.InputTokenCount);
        Assert.Equal(7, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ReasoningArrivesAsReasoningContent()
    {
        Require();
        var nonce = Nonce();
        var script = new FakeScript { Reasoning = ["thinking ", "it ", "over"], Tokens = ["the", " answer"] };

        var frames = await PostStreamingAsync(Prompt(nonce, script));

        var reasoning = string.Concat(frames.Select(f => Delta(f, "reasoning_content")));
        var content = string.Concat(frames.Select(f => Delta(f, "content")));
        Assert.Equal("thinking it over", reasoning);
        Assert.Equal("the answer", content);
        var firstReasoning = frames.FindIndex(f => Delta(f, "reasoning_content").Length > 0);
        var firstContent = frames.FindIndex(f => Delta(f, "content").Length > 0);
        Assert.True(firstReasoning < firstContent, "reasoning comes before the answer");
    }

    [Fact]
    public async Task ToolTheAgentRanAppearsAsToolCallThenMarkedOutputThenFollowUpText()
    {
        Require();
        var nonce = Nonce();
        var notes = Path.Combine(fixture.Daemon.WorkDirectory, "notes.md");
        var script = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("read", JsonSerializer.Serialize(new Dictionary<string, string> { ["filePath"] = notes }), "call_read_1")] };

        var (content, calls, finish) = await StreamWithToolsAsync(Prompt(nonce, script));

        var call = Assert.Single(calls);
        Assert.Equal("read", call.Name);
        Assert.Equal("call_read_1", call.Id);
        Assert.Equal(notes, JsonDocument.Parse(call.Arguments).RootElement.GetProperty("filePath").GetString());
        var open = ToolResultMarker.Open("read", "call_read_1");
        Assert.Contains(open, content, StringComparison.Ordinal);
        var output = content[(content.IndexOf(open, StringComparison.Ordinal) + open.Length)..content.IndexOf(ToolResultMarker.Close, StringComparison.Ordinal)];
        Assert.Contains("# notes", output, StringComparison.Ordinal);
        Assert.EndsWith("Done after tool", content, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(2, fixture.Daemon.Fake.Requests.Count(r => r.Body.Contains(nonce, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PermissionRequestIsRejectedAndTheTurnEnds()
    {
        Require();
        var nonce = Nonce();
        var (script, tool) = PermissionScript;

        var (content, calls, finish) = await StreamWithToolsAsync(Prompt(nonce, script));

        var call = Assert.Single(calls);
        Assert.Equal(tool, call.Name);
        Assert.Contains(ToolResultMarker.Open(tool, call.Id), content, StringComparison.Ordinal);
        Assert.Contains("error:", content, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, finish);
        // Rejected: the agent stopped its loop instead of sending the tool result back to the model.
        Assert.Equal(1, fixture.Daemon.Fake.Requests.Count(r => r.Body.Contains(nonce, StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(fixture.Daemon.WorkDirectory, "marker.txt")), "the rejected command must not have run");
    }

    [Fact]
    public async Task UpstreamBadRequestIsACleanError()
    {
        Require();
        var script = new FakeScript { Status = 400, ErrorMessage = "fake failure 400" };

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in Client().CompleteChatStreamingAsync([new UserChatMessage(Prompt(Nonce(), script))], cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(400, error.Status);
        Assert.Contains("fake failure 400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientAbortAbortsTheSession()
    {
        Require();
        await using var watcher = await DaemonEventWatcher.StartAsync(fixture.Daemon.BaseUrl);
        var nonce = Nonce();
        // The fake stalls for ever after two tokens, and the gateway's clock stands still: only the client's leaving ends the turn.
        var script = new FakeScript { Tokens = ["one", " two", " three", " four"], StallAfterTokens = 2 };
        // No draining on dispose (SocketsHttpHandler would otherwise keep reading for up to 2 s): disposing the response drops the connection at once.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Gateway.BaseUrl };
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatBody(Prompt(nonce, script)) };
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        await reader.ReadUntilAsync(f => RawSse.Content([f]) == "one", "the first delta");
        var upstream = Upstream(nonce);
        var delta = await watcher.WaitForAsync(e => e.Type == "message.part.delta" && e.Data.Contains("\"one\"", StringComparison.Ordinal));

        var backend = (AcpToApi.Backends.OpenCode.ServeApiBackend)fixture.Gateway.Services.GetRequiredService<AcpToApi.Backends.BackendRouter>()
            .Registrations.Single(r => r.Prefix == fixture.Kind).Backend;
        var abortSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnAborting(string session)
        {
            if (session == delta.SessionId)
            {
                abortSent.TrySetResult();
            }
        }
        backend.SessionAborting += OnAborting;
        var abortedAt = Stopwatch.GetTimestamp();
        response.Dispose();

        await Eventually.WaitAsync(abortSent.Task, $"{fixture.Kind}: the gateway sending POST /session/{{id}}/abort after the client left");
        backend.SessionAborting -= OnAborting;
        var outcome = await Eventually.WaitAsync(upstream.Completion, $"{fixture.Kind}: the daemon closing its upstream request");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind);
        await watcher.WaitForAsync(e => e.SessionId == delta.SessionId && e.At > abortedAt
            && (e.Type == "session.idle" || (e.Type == "session.status" && e.Data.Contains("\"idle\"", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task SilentDaemonHitsTheIdleTimeoutWith504AndTheSessionIsAborted()
    {
        Require();
        var clock = new FakeClock();
        var idleTimeout = TimeSpan.FromSeconds(30);
        await using var gateway = await GatewayServer.StartAsync(
            settings: new() { [fixture.Kind] = fixture.Daemon.BaseUrl.ToString(), ["idleTimeoutSeconds"] = "30" }, time: clock);
        var client = new ChatClient(Model, new ApiKeyCredential("none"), new OpenAIClientOptions { Endpoint = gateway.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0) });
        var nonce = Nonce();
        var script = new FakeScript { Tokens = ["never"], StallAfterTokens = 0 };

        var answer = Task.Run(async () =>
        {
            await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage(Prompt(nonce, script))], cancellationToken: Ct))
            {
            }
        }, Ct);
        var upstream = await UpstreamAsync(nonce); // the daemon is waiting on a silent model
        await clock.AdvanceUntilAsync(answer, idleTimeout, "the idle timeout ending the silent turn");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => answer);

        Assert.Equal(504, error.Status);
        Assert.Contains("idle timeout", error.Message, StringComparison.Ordinal);
        var outcome = await Eventually.WaitAsync(upstream.Completion, "the daemon closing its upstream request");
        Assert.Equal(RequestOutcomeKind.ClientAborted, outcome.Kind);
    }

    [Fact]
    public async Task NonStreamingAnswerFoldsTheSameEvents()
    {
        Require();
        var script = new FakeScript { Reasoning = ["hmm"], Tokens = ["whole", " answer"] };

        ChatCompletion completion = await Client().CompleteChatAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage(Prompt(Nonce(), script))], cancellationToken: Ct);

        Assert.Equal("whole answer", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(11, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task NonStreamingToolRunKeepsTheCallAndFoldsTheMarkedOutputIntoContent()
    {
        Require();
        var notes = Path.Combine(fixture.Daemon.WorkDirectory, "notes.md");
        var script = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("read", JsonSerializer.Serialize(new Dictionary<string, string> { ["filePath"] = notes }), "call_read_2")] };

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage(Prompt(Nonce(), script))], cancellationToken: Ct);

        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("read", call.FunctionName);
        Assert.Equal(notes, JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("filePath").GetString());
        var content = string.Concat(completion.Content.Select(p => p.Text));
        Assert.Contains(ToolResultMarker.Open("read", "call_read_2"), content, StringComparison.Ordinal);
        Assert.Contains("# notes", content, StringComparison.Ordinal);
        Assert.EndsWith("Done after tool", content, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task DaemonRetryingTheModelIsVisibleAsACommentThenTheAnswerArrives()
    {
        Require();
        var nonce = Nonce();
        // The next model call fails with 503 (Retry-After 1 s); the daemon retries it and the retry gets the directive's answer.
        fixture.Daemon.Fake.Enqueue(new FakeScript { Status = 503, ErrorMessage = "overloaded, try again", RetryAfterSeconds = 1 });
        var script = new FakeScript { Tokens = ["after", " retry"] };

        using var http = fixture.Gateway.CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", ChatBody(Prompt(nonce, script)), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains($": {fixture.Kind} is retrying the model call (attempt 1)", text, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"after\"", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSessionCreatedByTheGatewayIsLeftBehind()
    {
        Require();
        await Client().CompleteChatAsync([new UserChatMessage(Prompt(Nonce(), new FakeScript()))], cancellationToken: Ct);
        var router = fixture.Gateway.Services.GetRequiredService<AcpToApi.Backends.BackendRouter>();
        Assert.True(router.TryGet(fixture.Kind, out var registration));
        await ((AcpToApi.Backends.OpenCode.ServeApiBackend)registration.Backend).PendingCleanups.WaitAsync(Eventually.Bound, Ct);

        using var http = new HttpClient();
        // A session of the test's own, to show the listing does list sessions.
        using var created = await http.PostAsJsonAsync(new Uri(fixture.Daemon.BaseUrl, "session"), new Dictionary<string, string> { ["title"] = "test-probe" }, Ct);
        var probeId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        var sessions = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Daemon.BaseUrl, "session"), Ct);
        await http.DeleteAsync(new Uri(fixture.Daemon.BaseUrl, "session/" + probeId), Ct);

        Assert.Contains(sessions.EnumerateArray(), s => s.GetProperty("id").GetString() == probeId);
        Assert.DoesNotContain(sessions.EnumerateArray(), s => s.GetProperty("title").GetString()?.StartsWith("acptoapi:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task SeedOpenAINodeExampleStreams()
    {
        Require();
        var script = Path.Combine(TestEnvironment.RepoRoot, "tests", "node", "seed-openai-stream.mjs");
        TestEnvironment.Require(File.Exists(Path.Combine(TestEnvironment.RepoRoot, "tests", "node", "node_modules", "openai", "package.json")),
            "the openai npm package (tests/node/node_modules)");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(TestEnvironment.RepoRoot, "tests", "node"),
        };
        foreach (var argument in new[] { script, fixture.Gateway.OpenAIEndpoint.ToString(), Model, Prompt(Nonce(), new FakeScript { Tokens = ["from", " node"] }) })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync(Ct);
        var stderr = node.StandardError.ReadToEndAsync(Ct);
        await node.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.True(node.ExitCode == 0, await stderr);
        Assert.Equal("from node", await stdout);
    }

    [Fact]
    public async Task ConcurrentRequestsOnOneDaemonDoNotMixTheirText()
    {
        Require();
        // Both turns are provably in flight at once: each holds after two tokens until both have got there.
        var first = (Nonce: Nonce(), Script: new FakeScript { Tokens = ["a1 ", "a2 ", "a3 ", "a4"], HoldAfterTokens = 2 });
        var second = (Nonce: Nonce(), Script: new FakeScript { Tokens = ["b1 ", "b2 ", "b3 ", "b4"], HoldAfterTokens = 2 });

        async Task<string> RunAsync(string nonce, FakeScript script)
        {
            var text = new StringBuilder();
            await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage(Prompt(nonce, script))], cancellationToken: Ct))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
            return text.ToString();
        }

        var running = Task.WhenAll(RunAsync(first.Nonce, first.Script), RunAsync(second.Nonce, second.Script));
        var upstreams = await Task.WhenAll(UpstreamAsync(first.Nonce), UpstreamAsync(second.Nonce));
        await Eventually.WaitAsync(Task.WhenAll(upstreams.Select(u => u.Held)), "both turns reaching their hold");
        foreach (var upstream in upstreams)
        {
            upstream.Release();
        }
        var results = await Eventually.WaitAsync(running, "both turns completing");

        Assert.Equal("a1 a2 a3 a4", results[0]);
        Assert.Equal("b1 b2 b3 b4", results[1]);
    }

    [Fact]
    public async Task ModelsAndHealthComeFromTheDaemonWithoutCreatingSessions()
    {
        Require();
        await using var watcher = await DaemonEventWatcher.StartAsync(fixture.Daemon.BaseUrl);
        using var http = fixture.Gateway.CreateHttpClient();

        var models = await http.GetFromJsonAsync<JsonElement>("/v1/models", Ct);
        var health = await http.GetFromJsonAsync<JsonElement>("/health", Ct);

        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains(fixture.Kind + "/fake-model", ids);
        var backend = health.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("prefix").GetString() == fixture.Kind);
        Assert.True(backend.GetProperty("reachable").GetBoolean());
        Assert.Equal(fixture.Daemon.BaseUrl.ToString(), backend.GetProperty("target").GetString());
        Assert.DoesNotContain(watcher.Events, e => e.Type == "session.created");
    }

    /// <summary>
    /// The client's first frame comes before the daemon emits its next delta: the fake holds the second token, so at the
    /// moment the client has the first frame the daemon's own /event stream has provably not carried the second delta yet.
    /// (How many milliseconds the gateway adds is measured in bench/, not here.)
    /// </summary>
    [Fact]
    public async Task TheClientsFirstFrameComesBeforeTheDaemonsNextDelta()
    {
        Require();
        await using var watcher = await DaemonEventWatcher.StartAsync(fixture.Daemon.BaseUrl);
        var nonce = Nonce();
        var script = new FakeScript { Tokens = ["first", " second"], HoldAfterTokens = 1 };
        using var http = fixture.Gateway.CreateHttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatBody(Prompt(nonce, script)) };
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);

        await reader.ReadUntilAsync(f => RawSse.Content([f]) == "first", "the first frame reaching the client while the fake holds the second token (does the gateway buffer?)");
        var first = await watcher.WaitForAsync(e => e.Type == "message.part.delta" && e.Data.Contains("\"first\"", StringComparison.Ordinal));
        Assert.DoesNotContain(watcher.Events, e => e.SessionId == first.SessionId && e.Type == "message.part.delta" && e.Data.Contains("\" second\"", StringComparison.Ordinal));
        var upstream = await UpstreamAsync(nonce);
        await Eventually.WaitAsync(upstream.Held, "the fake holding the second token");
        upstream.Release();

        var rest = await reader.ReadToEndAsync(Ct);
        var next = await watcher.WaitForAsync(e => e.SessionId == first.SessionId && e.Type == "message.part.delta" && e.Data.Contains("\" second\"", StringComparison.Ordinal));
        Assert.True(next.At > first.At);
        Assert.Equal(" second", RawSse.Content(rest));
    }

    private JsonContent ChatBody(string prompt) => JsonContent.Create(new Dictionary<string, object>
    {
        ["model"] = Model,
        ["stream"] = true,
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
    });

    private async Task<List<JsonElement>> PostStreamingAsync(string prompt)
    {
        using var http = fixture.Gateway.CreateHttpClient();
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = Model,
            ["stream"] = true,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
        });
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(f => f.StartsWith("data: {", StringComparison.Ordinal))
            .Select(f => JsonDocument.Parse(f["data: ".Length..]).RootElement.Clone())
            .ToList();
    }

    private static string Delta(JsonElement frame, string field) =>
        frame.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
        && choices[0].GetProperty("delta").TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";

    private async Task<(string Content, List<(string Id, string Name, string Arguments)> Calls, ChatFinishReason? Finish)> StreamWithToolsAsync(string prompt)
    {
        var content = new StringBuilder();
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage(prompt)], cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                content.Append(part.Text);
            }
            foreach (var tool in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(tool.Index, out var call))
                {
                    call = (tool.ToolCallId, tool.FunctionName, new StringBuilder());
                    calls[tool.Index] = call;
                }
                call.Arguments.Append(tool.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }
        return (content.ToString(), calls.Values.Select(c => (c.Id, c.Name, c.Arguments.ToString())).ToList(), finish);
    }
}
