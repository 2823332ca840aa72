using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>What the CLI really sent upstream and how it was started: the sandbox is checked from the outside.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeSandboxTests
{
    private const string ProcessCanary = "ACPTOAPI_TEST_PROCESS_CANARY";

    [Fact]
    public async Task MultiTurnConversationReachesTheUpstreamInOrderWithZeroToolsNoMcpAndTheClientsSystemPrompt()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["third answer"] });
        var tag = Guid.NewGuid().ToString("N")[..8];
        var system = $"You are the acptoapi test persona {tag}.";

        ChatCompletion completion = await bed.Client().CompleteChatAsync(
        [
            new SystemChatMessage(system),
            new UserChatMessage($"first question {tag}"),
            new AssistantChatMessage($"first answer {tag}"),
            new UserChatMessage($"second question {tag}"),
            new AssistantChatMessage($"second answer {tag}"),
            new UserChatMessage($"third question {tag}"),
        ], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("third answer", completion.Content.Single().Text);
        var request = (await bed.UpstreamMessageAsync()).Json!.Value;

        // Zero tools and no MCP servers.
        Assert.True(!request.TryGetProperty("tools", out var tools) || tools.GetArrayLength() == 0, "the CLI offered tools upstream");
        Assert.False(request.TryGetProperty("mcp_servers", out _));

        // The client's system prompt instead of Claude Code's 27 KB agent prompt.
        var systemText = string.Concat(request.GetProperty("system").EnumerateArray().Select(b => b.GetProperty("text").GetString()));
        Assert.Contains(system, systemText);
        Assert.DoesNotContain("interactive agent", systemText);
        Assert.DoesNotContain("software engineering tasks", systemText);
        Assert.True(systemText.Length < 1000, $"system prompt is {systemText.Length} chars: Claude Code's own prompt leaked in");

        // Every turn, in order.
        var conversation = request.GetProperty("messages").GetRawText();
        var positions = new[] { "first question", "first answer", "second question", "second answer", "third question" }
            .Select(t => conversation.IndexOf($"{t} {tag}", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, "a turn is missing upstream"));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task PromptAndSystemPromptAreNotInArgvAndTheEnvironmentIsReducedAndTheWorkingDirectoryIsFreshAndDeleted()
    {
        System.Environment.SetEnvironmentVariable(ProcessCanary, "must-not-leak");
        // No idle keeping: the process ends with the turn, and its directory with it.
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["agentSessionIdleSeconds"] = "0" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], HoldAfterTokens = 0 });
        var secret = "user-prompt-" + Guid.NewGuid().ToString("N");
        var systemSecret = "system-prompt-" + Guid.NewGuid().ToString("N");

        var answer = bed.Client().CompleteChatAsync([new SystemChatMessage(systemSecret), new UserChatMessage(secret)],
            cancellationToken: TestContext.Current.CancellationToken);
        var upstream = await bed.UpstreamMessageAsync();
        await Eventually.WaitAsync(upstream.Held, "the upstream holding its answer"); // the CLI runs until the test releases it
        var pid = Assert.Single(bed.ClaudeProcesses());
        var argv = ProcessTable.CommandLine(pid);
        var environment = ProcessTable.Environment(pid);
        var workingDirectory = ProcessTable.WorkingDirectory(pid);
        upstream.Release();
        await answer;

        Assert.Equal(ClaudeTestBed.BinaryPath, argv[0]);
        Assert.DoesNotContain(argv, a => a.Contains(secret, StringComparison.Ordinal) || a.Contains(systemSecret, StringComparison.Ordinal));
        Assert.Equal(["--tools", ""], argv.Skip(argv.ToList().IndexOf("--tools")).Take(2));
        Assert.Contains("--strict-mcp-config", argv);
        Assert.Contains("--no-session-persistence", argv);
        Assert.Contains("--disable-slash-commands", argv);
        Assert.Contains("--system-prompt-file", argv);

        Assert.False(environment.ContainsKey(ClaudeTestBed.Canary), "the server's environment leaked into the CLI");
        Assert.Equal(bed.Home, environment["HOME"]);
        Assert.Equal("sk-ant-fake-test-key", environment["ANTHROPIC_API_KEY"]);
        Assert.Equal("1", environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"]);
        Assert.Equal("1", environment["DISABLE_TELEMETRY"]);
        // The gateway process's own environment (not only ServerOptions.Environment) must not reach the child either.
        Assert.False(environment.ContainsKey(ProcessCanary), "the gateway process's environment leaked into the CLI");

        Assert.NotNull(workingDirectory);
        Assert.Equal("work", Path.GetFileName(workingDirectory));
        Assert.StartsWith("acptoapi-claude-", Path.GetFileName(Path.GetDirectoryName(workingDirectory)));
        await Eventually.WaitAsync(() => !Directory.Exists(Path.GetDirectoryName(workingDirectory)) && bed.ClaudeProcesses().Count == 0,
            "the process ending and its directory being deleted");
    }
}
