using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>
/// Codex CLI (pinned in tests/backends) as a client of /v1/responses, in front of openai/ and anthropic/ on the fake
/// upstream: a plain answer, a turn in which the model calls Codex's own <c>exec_command</c> tool and Codex runs it,
/// and failures Codex reports instead of retrying forever or hanging.
/// </summary>
public sealed class CodexCliTests : OpenAIAndAnthropicGatewayTest
{
    private List<RecordedRequest> UpstreamCompletions() =>
        [.. Fake.Requests.Where(r => r.Method == "POST" && r.Path is "/v1/chat/completions" or "/v1/messages")];

    [Fact]
    public async Task CodexExecAnswersAPromptThroughTheGateway()
    {
        using var codex = new CodexCli(Gateway.OpenAIEndpoint, "openai/fake-model");
        Fake.Enqueue(new FakeScript { Tokens = ["Hi", " from", " the", " fake."] });

        var run = await codex.ExecAsync("Say hi", Ct);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal("Hi from the fake.", Assert.Single(run.Completed("agent_message")).GetProperty("text").GetString());
        Assert.Contains(run.Events, e => e.GetProperty("type").GetString() == "turn.completed");
        var upstream = Assert.Single(UpstreamCompletions());
        var messages = upstream.Json!.Value.GetProperty("messages");
        // Codex's developer prompt became the system prompt; the user's words came last.
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Say hi", messages[messages.GetArrayLength() - 1].GetProperty("content").GetString());
        // Its function tools reached the model; the hosted web_search and the namespace were dropped.
        var tools = upstream.Json!.Value.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.Contains("exec_command", tools);
        Assert.DoesNotContain("multi_agent_v1", tools);
    }

    [Fact]
    public async Task TheReadmesConfigTomlWorksAsPrinted()
    {
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "README.md"));
        var recipe = readme[readme.IndexOf("#### Codex CLI", StringComparison.Ordinal)..];
        recipe = recipe[(recipe.IndexOf("```toml\n", StringComparison.Ordinal) + "```toml\n".Length)..];
        recipe = recipe[..recipe.IndexOf("```", StringComparison.Ordinal)];
        Assert.Contains("base_url = \"http://127.0.0.1:4800/v1\"", recipe, StringComparison.Ordinal);
        using var codex = new CodexCli(Gateway.OpenAIEndpoint, "", recipe.Replace("http://127.0.0.1:4800/v1", Gateway.OpenAIEndpoint.ToString().TrimEnd('/'), StringComparison.Ordinal));
        Fake.Enqueue(new FakeScript { Tokens = ["Configured."] });

        var run = await codex.ExecAsync("Say hi", Ct);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal("Configured.", Assert.Single(run.Completed("agent_message")).GetProperty("text").GetString());
        Assert.Equal("/v1/messages", Assert.Single(UpstreamCompletions()).Path); // the recipe's model is an anthropic/ one
    }

    [Theory]
    [InlineData("openai/fake-model")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task TheModelCallsCodexsExecCommandCodexRunsItAndTheOutputReachesTheUpstream(string model)
    {
        using var codex = new CodexCli(Gateway.OpenAIEndpoint, model);
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("exec_command", """{"cmd":"echo hi-from-tool"}""", "call_codex_1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["The", " tool", " said", " hi."] });

        var run = await codex.ExecAsync("Run echo hi-from-tool", Ct);

        Assert.True(run.ExitCode == 0, run.Describe());
        var command = Assert.Single(run.Completed("command_execution"));
        Assert.Equal((0, "hi-from-tool\n"), (command.GetProperty("exit_code").GetInt32(), command.GetProperty("aggregated_output").GetString()));
        Assert.Equal("The tool said hi.", Assert.Single(run.Completed("agent_message")).GetProperty("text").GetString());
        var upstream = UpstreamCompletions();
        Assert.Equal(2, upstream.Count);
        // The second request carries the call and Codex's tool output (as an OpenAI tool message or an Anthropic tool_result).
        var second = upstream[1].Body;
        Assert.Contains("call_codex_1", second, StringComparison.Ordinal);
        Assert.Contains("hi-from-tool", second[second.IndexOf("call_codex_1", StringComparison.Ordinal)..], StringComparison.Ordinal);
        if (model.StartsWith("openai/", StringComparison.Ordinal))
        {
            var messages = upstream[1].Json!.Value.GetProperty("messages");
            var tool = messages[messages.GetArrayLength() - 1];
            Assert.Equal(("tool", "call_codex_1"), (tool.GetProperty("role").GetString(), tool.GetProperty("tool_call_id").GetString()));
            Assert.Contains("hi-from-tool", tool.GetProperty("content").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AFailureAfterTheFirstByteEndsTheTurnWithTheUpstreamsMessage()
    {
        using var codex = new CodexCli(Gateway.OpenAIEndpoint, "openai/fake-model");
        Fake.Enqueue(new FakeScript { Tokens = ["partial", " answer"], ErrorAfterTokens = 1, ErrorMessage = "upstream broke" });

        var run = await codex.ExecAsync("Say hi", Ct);

        // response.failed reached Codex (not a stream cut short): it names the upstream's error and fails the turn.
        Assert.True(run.ExitCode == 1, run.Describe());
        var failed = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "turn.failed");
        Assert.Contains("upstream broke", failed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("closed before response.completed", run.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARateLimitBeforeTheFirstByteIsA429CodexReports()
    {
        using var codex = new CodexCli(Gateway.OpenAIEndpoint, "openai/fake-model");
        Fake.Enqueue(new FakeScript { Status = 429, RetryAfterSeconds = 1 });

        var run = await codex.ExecAsync("Say hi", Ct);

        Assert.True(run.ExitCode == 1, run.Describe());
        var failed = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "turn.failed");
        Assert.Contains("429", failed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
