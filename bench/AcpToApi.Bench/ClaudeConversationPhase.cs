using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Conversation;
using AcpToApi.FakeLlm;

namespace AcpToApi.Bench;

/// <summary>
/// Issues 14 and 15: what one process per conversation buys with the real pinned claude CLI against the bench's fake.
/// Time to the first content frame, from the moment of asking, for: turn 1 on a new process (cold) and on a warm one;
/// turn 3 continued on the conversation's process versus replayed into a new one; a client tool round trip (the
/// request that brings the result) on the parked process versus a fresh start; beside them the bare CLI run by the
/// harness itself (spawn to first delta; turn 3 in one process: write to first delta).
/// </summary>
internal sealed class ClaudeConversationPhase(BenchOptions options, string root, Uri fake, Func<string, Dictionary<string, string>, Task<ServerProcess>> startGateway)
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(120) };

    public List<string> Details { get; } = [];

    public async Task RunAsync()
    {
        var home = Directory.CreateTempSubdirectory("acptoapi-bench-claude-conv-").FullName;
        var binary = AgentRecipe.BinaryPath(root, "claude");
        var environment = AgentRecipe.ClaudeEnvironment(home, fake.GetLeftPart(UriPartial.Authority));
        var runs = Math.Max(3, options.AgentRuns / 2);
        try
        {
            Dictionary<string, string> With(params (string Name, string Value)[] settings)
            {
                var env = new Dictionary<string, string>(environment) { ["ACPTOAPI_CLAUDE_BIN"] = binary };
                foreach (var (name, value) in settings)
                {
                    env[name] = value;
                }
                return env;
            }

            await using var cold = await startGateway("claude-cold", With(("ACPTOAPI_CLAUDE_POOL_SIZE", "0")));
            await using var warm = await startGateway("claude-warm", With(("ACPTOAPI_CLAUDE_POOL_SIZE", "1")));
            await using var replaying = await startGateway("claude-replay", With(("ACPTOAPI_CLAUDE_POOL_SIZE", "0"), ("ACPTOAPI_AGENT_SESSION_IDLE", "0")));
            await using var unparked = await startGateway("claude-unparked", With(("ACPTOAPI_CLAUDE_POOL_SIZE", "0"), ("ACPTOAPI_TOOL_PARK_TIMEOUT", "0.05")));

            var samples = new Dictionary<string, List<double>>();
            void Add(string name, double ms) => (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(ms);

            for (var run = -1; run < runs; run++)
            {
                var measured = run >= 0;
                var turn1Cold = await TurnAsync(cold, [], "one");
                await Task.Delay(TimeSpan.FromSeconds(3)); // let the warm pool refill after the previous round
                var turn1Warm = await TurnAsync(warm, [], "one");
                var continued = await ThreeTurnsAsync(cold);
                var replayed = await ThreeTurnsAsync(replaying);
                var parked = await ToolRoundTripAsync(cold, wait: TimeSpan.Zero);
                var fresh = await ToolRoundTripAsync(unparked, wait: TimeSpan.FromSeconds(1));
                var bareTurn1 = await BareAsync(binary, environment, turns: 1);
                var bareTurn3 = await BareAsync(binary, environment, turns: 3);
                if (measured)
                {
                    Add("turn 1, new process", turn1Cold);
                    Add("turn 1, warm process", turn1Warm);
                    Add("turn 3, continued on its process", continued);
                    Add("turn 3, replayed into a new process", replayed);
                    Add("tool result, parked process", parked);
                    Add("tool result, fresh start", fresh);
                    Add("bare CLI turn 1 (spawn to first delta)", bareTurn1);
                    Add("bare CLI turn 3 in one process (write to first delta)", bareTurn3);
                }
            }
            foreach (var (name, values) in samples)
            {
                values.Sort();
                Details.Add($"claude, {name}: median {Stats.Median(values):0} ms (sorted: {string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");
                Phases.Log($"  claude, {name}: median {Stats.Median(values):0} ms");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One turn of a new conversation after <paramref name="history"/>; ms from asking to the first frame with <paramref name="text"/>.</summary>
    private async Task<double> TurnAsync(ServerProcess gateway, List<object> history, string text, object[]? tools = null)
    {
        var asked = Stopwatch.GetTimestamp();
        var (at, _) = await StreamAsync(gateway, [.. history, new { role = "user", content = Prompt(text) }], text, tools);
        return Stats.TicksToMs(at - asked);
    }

    private async Task<double> ThreeTurnsAsync(ServerProcess gateway)
    {
        var nonce = Guid.NewGuid().ToString("N");
        List<object> messages = [new { role = "user", content = $"conversation {nonce} " + Prompt("one") }];
        await StreamAsync(gateway, messages, "one", null);
        messages.Add(new { role = "assistant", content = "one" });
        messages.Add(new { role = "user", content = Prompt("two") });
        await StreamAsync(gateway, messages, "two", null);
        messages.Add(new { role = "assistant", content = "two" });
        var asked = Stopwatch.GetTimestamp();
        messages.Add(new { role = "user", content = Prompt("three") });
        var (at, _) = await StreamAsync(gateway, messages, "three", null);
        return Stats.TicksToMs(at - asked);
    }

    /// <summary>A call to the client's tool, then the request that brings its result; ms from that request to its first frame.</summary>
    private async Task<double> ToolRoundTripAsync(ServerProcess gateway, TimeSpan wait)
    {
        object[] tools = [new { type = "function", function = new { name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } } } } }];
        var callId = "toolu_" + Guid.NewGuid().ToString("N")[..20];
        var script = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("mcp__gw__get_weather", """{"city":"Oslo"}""", callId)] };
        List<object> messages = [new { role = "user", content = $"tool {Guid.NewGuid():N} " + script.ToDirective() }];
        var (_, body) = await StreamAsync(gateway, messages, null, tools);
        if (!body.Contains(callId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("claude: the tool call did not reach the client");
        }
        await Task.Delay(wait);
        messages.Add(new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = callId, type = "function", function = new { name = "get_weather", arguments = """{"city":"Oslo"}""" } } } });
        messages.Add(new { role = "tool", tool_call_id = callId, content = "rain" });
        // A fresh start replays the call and its result as a transcript in one user turn, which still carries the
        // directive; a queued script answers either way, as a model would.
        using (var queued = await http.PostAsync(new Uri(fake, "/_fake/script"), new StringContent(FakeScript.AfterToolResult.ToJson(), Encoding.UTF8, "application/json")))
        {
            queued.EnsureSuccessStatusCode();
        }
        var asked = Stopwatch.GetTimestamp();
        var (at, _) = await StreamAsync(gateway, messages, "Done", tools);
        return Stats.TicksToMs(at - asked);
    }

    private async Task<(long At, string Body)> StreamAsync(ServerProcess gateway, List<object> messages, string? text, object[]? tools)
    {
        var payload = new Dictionary<string, object> { ["model"] = "claude/sonnet", ["stream"] = true, ["messages"] = messages };
        if (tools is not null)
        {
            payload["tools"] = tools;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{gateway.Port}/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"claude: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var body = new StringBuilder();
        long at = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (at == 0 && (text is null ? line.Contains("tool_calls", StringComparison.Ordinal) : line.Contains($"\"content\":\"{text}", StringComparison.Ordinal)))
            {
                at = Stopwatch.GetTimestamp();
            }
            body.AppendLine(line);
        }
        return at != 0 ? (at, body.ToString()) : throw new InvalidOperationException($"claude: no frame '{text}' in: {body}");
    }

    /// <summary>The CLI run by the harness as the backend runs it: turns 1..n in one process; ms to the last turn's first delta.</summary>
    private static async Task<double> BareAsync(string binary, Dictionary<string, string> environment, int turns)
    {
        var cli = new ClaudeCliOptions { ClaudeBin = binary, Environment = environment };
        using var sandbox = ClaudeSandbox.Create(null, "");
        var info = new ProcessStartInfo(binary)
        {
            WorkingDirectory = sandbox.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            _ = process.StandardError.ReadToEndAsync(limit.Token);
            double last = 0;
            for (var turn = 1; turn <= turns; turn++)
            {
                var written = turn == 1 ? started : Stopwatch.GetTimestamp();
                await process.StandardInput.WriteLineAsync(ClaudePromptBuilder.UserLine([ChatMessage.FromText(ChatRole.User, Prompt("t" + turn))], null).AsMemory(), limit.Token);
                await process.StandardInput.FlushAsync(limit.Token);
                long first = 0;
                while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
                {
                    if (first == 0 && line.Contains("\"text_delta\"", StringComparison.Ordinal))
                    {
                        first = Stopwatch.GetTimestamp();
                    }
                    if (line.StartsWith("{\"type\":\"result\"", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                last = first != 0 ? Stats.TicksToMs(first - written) : throw new InvalidOperationException("claude (run directly) sent no text delta");
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            return last;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Prompt(string token) => $"bench-{Guid.NewGuid():N}: " + new FakeScript { Tokens = [token] }.ToDirective();
}
