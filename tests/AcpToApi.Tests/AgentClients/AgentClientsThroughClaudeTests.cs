using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.ClaudeCli;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentClients;

/// <summary>
/// Coding agents as clients of <c>claude/sonnet</c>: the real opencode (its provider the gateway, configured as the README
/// says) and the real Claude Code (<c>ANTHROPIC_BASE_URL</c> at the gateway) each declare their own tools; the backend,
/// another real Claude Code process against the fake upstream, offers them to the model through the gateway's MCP server;
/// the model calls the client's own shell tool; the client runs it itself and sends the output back; the parked backend
/// process takes it and the turn ends with the model's answer printed by the client.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class AgentClientsThroughClaudeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<JsonElement> UpstreamMessages(ClaudeTestBed bed) =>
        [.. bed.Fake.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/messages").Select(r => r.Json!.Value)];

    /// <summary>The README's opencode.json, as printed, with the gateway's address in place of the default one.</summary>
    private static string ReadmeOpenCodeConfig(ClaudeTestBed bed)
    {
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "README.md"));
        var recipe = readme[readme.IndexOf("#### opencode", StringComparison.Ordinal)..];
        recipe = recipe[(recipe.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length)..];
        recipe = recipe[..recipe.IndexOf("```", StringComparison.Ordinal)];
        Assert.Contains("\"baseURL\": \"http://127.0.0.1:4800/v1\"", recipe, StringComparison.Ordinal);
        return recipe.Replace("http://127.0.0.1:4800/v1", bed.Server.OpenAIEndpoint.ToString().TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>
    /// The model's side was Claude Code's sandbox whatever the client sent: only the client's tools, each as
    /// <c>mcp__gw__&lt;name&gt;</c>, none of Claude Code's own; and the one backend process (which took the tool result
    /// while parked: no second start) runs sandboxed in a private directory of its own, not the client's.
    /// </summary>
    private static void AssertTheBackendStayedSandboxed(ClaudeTestBed bed, IReadOnlyList<JsonElement> upstream, string clientWorkDirectory)
    {
        foreach (var request in upstream)
        {
            Assert.All(request.GetProperty("tools").EnumerateArray(), t => Assert.StartsWith("mcp__gw__", t.GetProperty("name").GetString(), StringComparison.Ordinal));
        }
        Assert.Equal(1, bed.Fake.Requests.Count(r => r.Method == "HEAD")); // the CLI probes once per process start
        var backend = Assert.Single(bed.ClaudeProcesses());
        var argv = ProcessTable.CommandLine(backend);
        Assert.Equal("", argv[argv.ToList().IndexOf("--tools") + 1]);
        Assert.Equal(["--allowedTools", "mcp__gw"], argv.SkipWhile(a => a != "--allowedTools").Take(2));
        Assert.Contains("--strict-mcp-config", argv);
        Assert.NotEqual(clientWorkDirectory, ProcessTable.WorkingDirectory(backend));
    }

    private static JsonElement ToolResult(JsonElement request, string id) =>
        request.GetProperty("messages").EnumerateArray().Last().GetProperty("content").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString() == "tool_result" && b.GetProperty("tool_use_id").GetString() == id);

    [Fact]
    public async Task OpenCodeWithTheReadmesProviderRunsItsOwnBashThroughClaudeAndPrintsTheAnswer()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        using var opencode = new OpenCodeCli(ReadmeOpenCodeConfig(bed));
        bed.Fake.Enqueue(new FakeScript
        {
            Tokens = ["Running it."],
            ToolCalls = [new FakeToolCall("mcp__gw__bash", """{"command":"echo hi-from-opencode-bash","description":"Print a greeting"}""", "toolu_oc1")],
        });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["The", " command", " said", " hi."] });

        var run = await opencode.RunAsync("Run the greeting", Ct);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(run.Errors);
        // opencode saw an ordinary tool call under its own name, ran bash itself, and printed the model's answer last.
        var tool = Assert.Single(run.Parts("tool_use"));
        Assert.Equal(("bash", "toolu_oc1"), (tool.GetProperty("tool").GetString(), tool.GetProperty("callID").GetString()));
        Assert.Equal("completed", tool.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("echo hi-from-opencode-bash", tool.GetProperty("state").GetProperty("input").GetProperty("command").GetString());
        Assert.Equal("hi-from-opencode-bash\n", tool.GetProperty("state").GetProperty("output").GetString());
        Assert.Equal(["Running it.", "The command said hi."], run.Parts("text").Select(p => p.GetProperty("text").GetString()));
        Assert.Equal("stop", run.Parts("step_finish").Last().GetProperty("reason").GetString());

        var upstream = UpstreamMessages(bed);
        Assert.Equal(2, upstream.Count);
        var bash = upstream[0].GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "mcp__gw__bash");
        Assert.Equal("string", bash.GetProperty("input_schema").GetProperty("properties").GetProperty("command").GetProperty("type").GetString());
        var result = ToolResult(upstream[1], "toolu_oc1");
        Assert.Equal("hi-from-opencode-bash\n", result.GetProperty("content")[0].GetProperty("text").GetString());
        AssertTheBackendStayedSandboxed(bed, upstream, opencode.WorkDirectory);
        Assert.Empty(opencode.Downloads); // opencode fetched nothing: its provider package is built in, its plugin package pre-provided
        await Eventually.WaitAsync(() => ProcessTable.WithEnvironmentEntry("HOME=" + opencode.Home).Count == 0, "opencode's processes (its server, shells) ending");

        await bed.Server.DisposeAsync();
        Assert.Empty(bed.ClaudeProcesses());
    }

    [Fact]
    public async Task ClaudeCodeRunsItsOwnBashThroughClaudeAndPrintsTheAnswer()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        using var client = new ClaudeCodeCli(bed.Server.BaseUrl);
        bed.Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("mcp__gw__Bash", """{"command":"echo hi-from-client-bash","description":"Print a greeting"}""", "toolu_cc1")],
        });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["It", " said", " hi."] });

        // The client's own permission flag lets its Bash run unattended; the backend knows nothing of it.
        var result = await client.PrintAsync("Greet me from the shell", "claude/sonnet", ["--allowedTools", "Bash"], Ct);

        Assert.False(result.GetProperty("is_error").GetBoolean(), result.GetRawText());
        Assert.Equal("It said hi.", result.GetProperty("result").GetString());
        Assert.Equal(2, result.GetProperty("num_turns").GetInt32()); // the tool call, then the answer
        Assert.Empty(result.GetProperty("permission_denials").EnumerateArray());

        var upstream = UpstreamMessages(bed);
        Assert.Equal(2, upstream.Count);
        var offered = upstream[0].GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("mcp__gw__Bash", offered);
        Assert.Contains("mcp__gw__Read", offered);
        var output = ToolResult(upstream[1], "toolu_cc1");
        Assert.Equal("hi-from-client-bash", output.GetProperty("content")[0].GetProperty("text").GetString());
        AssertTheBackendStayedSandboxed(bed, upstream, client.WorkDirectory);
        await Eventually.WaitAsync(() => ProcessTable.WithEnvironmentEntry("HOME=" + client.Home).Count == 0, "the client's processes ending");

        await bed.Server.DisposeAsync();
        Assert.Empty(bed.ClaudeProcesses());
    }
}
