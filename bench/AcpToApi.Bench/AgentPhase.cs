using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Conversation;
using AcpToApi.FakeLlm;

namespace AcpToApi.Bench;

/// <summary>
/// Item 6: what acptoapi adds between an agent backend's first delta and the client's first frame, with the real pinned
/// CLIs (tests/backends) talking to the bench's fake upstream.
/// <list type="bullet">
/// <item>opencode / kilo: the harness subscribes to the daemon's own <c>GET /event</c> and stamps the first
/// <c>message.part.delta</c>; the client stamps the first content frame through acptoapi. Added = frame − delta.</item>
/// <item>claude: the CLI's delta is on a stdout only its parent sees, so the harness runs the same command itself (argv,
/// environment, sandbox and stdin from AcpToApi.Core) and stamps its first <c>text_delta</c> line; the same prompt through
/// acptoapi is stamped at the first content frame, both from the moment of asking, rounds interleaved. Added = the median
/// of the per-round differences (spawn, HTTP in and out, translation).</item>
/// </list>
/// </summary>
internal sealed class AgentPhase(BenchOptions options, Results results, string root, string logs, string gatewayDll, Uri fake) : IDisposable
{
    public const string Column = "acptoapi";
    private static readonly string[] Daemons = ["opencode", "kilo"];

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public List<string> Details { get; } = [];

    public void Dispose() => http.Dispose();

    public async Task RunAsync()
    {
        foreach (var kind in Daemons)
        {
            await MeasureAsync(kind, () => DaemonAsync(kind));
        }

        await MeasureAsync("claude", ClaudeAsync);
    }

    private async Task MeasureAsync(string kind, Func<Task> measure)
    {
        var binary = AgentRecipe.BinaryPath(root, kind);
        if (!File.Exists(binary))
        {
            results.Fail("agent." + kind, Column, $"the pinned {kind} binary is not installed ({binary}); run `npm ci --prefix tests/backends`");
            return;
        }

        try
        {
            await measure();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            results.Fail("agent." + kind, Column, e.Message);
        }

        var samples = results.Values("agent." + kind, Column);
        if (samples.Count > 0)
        {
            Phases.Log($"  {kind}: added ms " + string.Join(' ', samples.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture))));
        }
    }

    private async Task DaemonAsync(string kind)
    {
        var directory = Directory.CreateTempSubdirectory($"acptoapi-bench-{kind}-").FullName;
        try
        {
            var environment = AgentRecipe.DaemonEnvironment(kind, directory, new Uri(fake, "v1"));
            var port = ServerProcess.FreePort();
            await using var daemon = await ServerProcess.StartAsync(kind, port, options.ServerCpus, Path.Combine(directory, "work"),
                Path.Combine(logs, kind + ".log"), environment, isolated: true,
                AgentRecipe.BinaryPath(root, kind), "serve", "--port", Text(port), "--hostname", "127.0.0.1");
            var daemonUrl = new Uri($"http://127.0.0.1:{port}/");
            await WaitHealthyAsync(daemonUrl);
            await using var gateway = await StartGatewayAsync(kind, new Dictionary<string, string>
            {
                [kind == "kilo" ? "ACPTOAPI_KILO_URL" : "ACPTOAPI_OPENCODE_URL"] = daemonUrl.ToString(),
            });
            await using var events = await DaemonEvents.StartAsync(daemonUrl);
            var model = kind + "/" + AgentRecipe.DaemonModel;
            var chat = ChatUrl(gateway);

            // A fresh daemon spends a second or more on its first turns (project snapshot, provider set-up).
            for (var i = 0; i < 3; i++)
            {
                await FirstContentFrameAsync(chat, model, Prompt(["warm"], 0), "warm");
            }

            for (var run = 0; run < options.AgentRuns; run++)
            {
                var asked = Stopwatch.GetTimestamp();
                var frame = await FirstContentFrameAsync(chat, model, Prompt(["first", " second"], 20), "first");
                var delta = await events.WaitForDeltaAsync("first", asked, TimeSpan.FromSeconds(10));
                results.Add("agent." + kind, Column, Stats.TicksToMs(frame - delta));
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private async Task ClaudeAsync()
    {
        var home = Directory.CreateTempSubdirectory("acptoapi-bench-claude-").FullName;
        try
        {
            var binary = AgentRecipe.BinaryPath(root, "claude");
            var environment = AgentRecipe.ClaudeEnvironment(home, fake.GetLeftPart(UriPartial.Authority));
            await using var gateway = await StartGatewayAsync("claude", new Dictionary<string, string>(environment) { ["ACPTOAPI_CLAUDE_BIN"] = binary });
            var chat = ChatUrl(gateway);
            var cli = new ClaudeCliOptions { ClaudeBin = binary, Environment = environment };
            var direct = new List<double>();
            var through = new List<double>();
            for (var run = -2; run < options.AgentRuns; run++)
            {
                // Two warm-up rounds (page cache, first-run files in the private HOME), then measured rounds.
                var prompt = Prompt(["first", " second"], 0);
                var directMs = await DirectClaudeAsync(cli, prompt);
                var asked = Stopwatch.GetTimestamp();
                var frame = await FirstContentFrameAsync(chat, "claude/sonnet", prompt, "first");
                if (run >= 0)
                {
                    direct.Add(directMs);
                    through.Add(Stats.TicksToMs(frame - asked));
                }
            }

            // Rounds are paired (direct, then through acptoapi, same prompt shape): the median of the per-round differences
            // is robust to the CLI's own start-up jitter drifting over the run.
            var added = direct.Zip(through, (d, t) => t - d).ToList();
            foreach (var (d, t) in direct.Zip(through))
            {
                results.Add("agent.claude.direct", Column, d);
                results.Add("agent.claude.gateway", Column, t);
            }

            results.Add("agent.claude", Column, Stats.Median(added));
            direct.Sort();
            through.Sort();
            Details.Add($"claude (item 6): first text delta when the harness runs the CLI itself, ms (sorted): {Join(direct)}; first content frame through acptoapi, ms (sorted): {Join(through)}");
        }
        finally
        {
            TryDelete(home);
        }
    }

    /// <summary>Runs the CLI exactly as the claude/ backend would; returns the ms from spawning to its first text delta.</summary>
    private async Task<double> DirectClaudeAsync(ClaudeCliOptions cli, string userText)
    {
        var userLine = ClaudePromptBuilder.UserLine([ChatMessage.FromText(ChatRole.User, userText)], null);
        using var sandbox = ClaudeSandbox.Create(null, "");
        var info = new ProcessStartInfo
        {
            FileName = options.ServerCpus is null ? cli.ClaudeBin : "taskset",
            WorkingDirectory = sandbox.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.ServerCpus is not null)
        {
            // The gateway's children inherit its pinning; the direct run gets the same CPUs.
            foreach (var argument in new[] { "-c", options.ServerCpus, cli.ClaudeBin })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in ClaudeArguments.Build(cli, new ClaudeLaunch("sonnet", cli.ClaudePromptPlacement, sandbox.SystemPromptFile)))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in ClaudeEnvironment.Build(cli.Environment, cli.DefaultMaxRetries))
        {
            info.Environment[name] = value;
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("claude did not start");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await process.StandardInput.WriteLineAsync(userLine.AsMemory(), limit.Token);
            process.StandardInput.Close();
            long first = 0;
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (first == 0 && line.Contains("\"text_delta\"", StringComparison.Ordinal))
                {
                    first = Stopwatch.GetTimestamp();
                }
            }

            await process.WaitForExitAsync(limit.Token);
            return first != 0
                ? Stats.TicksToMs(first - started)
                : throw new InvalidOperationException($"claude (run directly) sent no text delta; exit {process.ExitCode}: {await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Streams one chat through acptoapi; returns the timestamp of the first frame whose content starts with <paramref name="text"/>.</summary>
    private async Task<long> FirstContentFrameAsync(Uri chat, string model, string prompt, string text)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["stream"] = true,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, chat) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{model}: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var marker = $"\"content\":\"{text}";
        long at = 0;
        var done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (at == 0 && line.Contains(marker, StringComparison.Ordinal))
            {
                at = Stopwatch.GetTimestamp();
            }

            done |= line == "data: [DONE]";
        }

        return at != 0 && done ? at : throw new InvalidOperationException($"{model}: the stream had no '{text}' frame or no [DONE]");
    }

    public Task<ServerProcess> StartGatewayAsync(string kind, Dictionary<string, string> environment)
    {
        var port = ServerProcess.FreePort();
        foreach (var (name, value) in options.GatewayEnvironment)
        {
            environment.TryAdd(name, value);
        }

        return ServerProcess.StartAsync("acptoapi-" + kind, port, options.ServerCpus, root, Path.Combine(logs, $"acptoapi-{kind}.log"),
            environment, "dotnet", gatewayDll, "--port", Text(port), "--log-level", "Warning");
    }

    private async Task WaitHealthyAsync(Uri daemon)
    {
        var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(60_000);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                // Short tries: a daemon still starting may accept the connection and answer only later.
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(daemon, "global/health"), attempt.Token));
                if (document.RootElement.GetProperty("healthy").GetBoolean())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the daemon at {daemon} did not become healthy within 60 s");
    }

    private static Uri ChatUrl(ServerProcess gateway) => new($"http://127.0.0.1:{gateway.Port}/v1/chat/completions");

    /// <summary>A unique prompt (no daemon-side caching can answer it) carrying the fake's script.</summary>
    private static string Prompt(string[] tokens, int delayMs) =>
        $"bench-{Guid.NewGuid():N}: " + new FakeScript { Tokens = tokens, DelayMs = delayMs }.ToDirective();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling child may still hold a file; the OS temp cleaner gets it.
        }
    }

    /// <summary>The harness's own subscription to a daemon's <c>GET /event</c>: every <c>message.part.delta</c>, stamped as it is read.</summary>
    private sealed class DaemonEvents : IAsyncDisposable
    {
        private readonly HttpClient client = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly CancellationTokenSource stop = new();
        private readonly List<(long At, string Data)> deltas = [];
        private readonly SemaphoreSlim arrived = new(0);
        private Task loop = Task.CompletedTask;

        public static async Task<DaemonEvents> StartAsync(Uri daemon)
        {
            var events = new DaemonEvents();
            var response = await events.client.GetAsync(new Uri(daemon, "event"), HttpCompletionOption.ResponseHeadersRead, events.stop.Token);
            response.EnsureSuccessStatusCode();
            events.loop = Task.Run(() => events.ReadAsync(response));
            return events;
        }

        public async Task<long> WaitForDeltaAsync(string text, long after, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(timeout.TotalMilliseconds);
            var needle = $"\"{text}\"";
            while (true)
            {
                lock (deltas)
                {
                    foreach (var (at, data) in deltas)
                    {
                        if (at > after && data.Contains(needle, StringComparison.Ordinal))
                        {
                            return at;
                        }
                    }
                }

                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !await arrived.WaitAsync(TimeSpan.FromMilliseconds(Stats.TicksToMs(left))))
                {
                    throw new TimeoutException($"the daemon's /event showed no delta '{text}' within {timeout.TotalSeconds} s");
                }
            }
        }

        private async Task ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(stop.Token))
                    {
                        var at = Stopwatch.GetTimestamp();
                        if (item.Data.Contains("\"message.part.delta\"", StringComparison.Ordinal))
                        {
                            lock (deltas)
                            {
                                deltas.Add((at, item.Data));
                            }

                            arrived.Release();
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
                {
                    // Stopped, or the daemon went away; a waiting measurement then times out and says so.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            client.Dispose();
            stop.Dispose();
            arrived.Dispose();
        }
    }
}
