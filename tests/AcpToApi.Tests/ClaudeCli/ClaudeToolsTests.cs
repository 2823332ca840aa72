using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>The operator opt-in: Claude Code runs its own tools; the call streams as a tool call and its output is folded into content.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeToolsTests
{
    [Fact]
    public async Task WithToolsEnabledTheAgentsOwnToolLoopStreamsTheCallTheFoldedResultAndEndsWithStop()
    {
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["claudeTools"] = "true" });
        bed.Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("Bash", """{"command":"echo tool-ran","description":"Say it"}""")] });
        using var http = bed.Server.CreateHttpClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "claude/sonnet",
            stream = true,
            messages = new[] { new { role = "user", content = "run it" } },
        }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var content = new StringBuilder();
        var toolNames = new List<string>();
        var finishReasons = new List<string>();
        foreach (var data in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(f => f["data: ".Length..]).Where(d => d != "[DONE]"))
        {
            using var chunk = JsonDocument.Parse(data);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                var delta = choice.GetProperty("delta");
                if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    content.Append(c.GetString());
                }
                if (delta.TryGetProperty("tool_calls", out var calls))
                {
                    toolNames.AddRange(calls.EnumerateArray()
                        .Where(t => t.TryGetProperty("function", out var f) && f.TryGetProperty("name", out _))
                        .Select(t => t.GetProperty("function").GetProperty("name").GetString()!));
                }
                if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                {
                    finishReasons.Add(finish.GetString()!);
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(content.ToString());
        Assert.Equal(["Bash"], toolNames);
        var text = content.ToString();
        Assert.Contains("[tool result: Bash (toolu_", text);
        Assert.Contains("[/tool result]", text);
        Assert.EndsWith("Done after tool", text);
        Assert.Equal(["stop"], finishReasons); // the agent finished its own loop
        var upstream = bed.Fake.Requests.Where(r => r.Path == "/v1/messages").ToList();
        Assert.Equal(2, upstream.Count); // the tool call, then the answer after the tool result
        Assert.True(upstream[0].Json!.Value.GetProperty("tools").GetArrayLength() > 0, "tools were enabled but none were offered upstream");
    }
}
