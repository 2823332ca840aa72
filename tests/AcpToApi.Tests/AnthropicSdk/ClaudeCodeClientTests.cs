using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.AgentClients;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AnthropicSdk;

/// <summary>The real Claude Code CLI as a client of /v1/messages, answered by an openai/ model on the fake upstream.</summary>
public sealed class ClaudeCodeClientTests : IAsyncLifetime
{
    private FakeLlmServer _fake = null!;
    private GatewayServer _gateway = null!;
    private ClaudeCodeCli _claude = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        // Claude Code's own background calls use bare claude-* names: send those to the fake too.
        _gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(_fake), new() { ["anthropicModelBackend"] = "openai" });
        _claude = new ClaudeCodeCli(_gateway.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        _claude.Dispose();
        await _gateway.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private Task<JsonElement> RunClaudeAsync(string prompt) => _claude.PrintAsync(prompt, "openai/fake-model", [], Ct);

    [Fact]
    public async Task ClaudeCodeGetsItsAnswerFromAnOpenAIModelThroughTheGateway()
    {
        var script = new FakeScript { Tokens = ["Hi", " from", " the", " gateway"] }.ToDirective();

        var result = await RunClaudeAsync("Say hi. " + script);

        Assert.Equal("result", result.GetProperty("type").GetString());
        Assert.False(result.GetProperty("is_error").GetBoolean());
        Assert.Equal("Hi from the gateway", result.GetProperty("result").GetString());
        var sent = _fake.Requests.Where(r => r.Path == "/v1/chat/completions").Select(r => r.Json!.Value).ToList();
        Assert.Contains(sent, body => body.GetProperty("model").GetString() == "fake-model" && body.GetProperty("tools").GetArrayLength() > 5);
    }

    [Fact]
    public async Task ClaudeCodeRunsItsToolAndFinishesTheTurnThroughTheGateway()
    {
        var file = Path.Combine(_claude.WorkDirectory, "note.txt");
        await File.WriteAllTextAsync(file, "the secret word is pelican\n", Ct);
        var script = new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("Read", JsonSerializer.Serialize(new { file_path = file }))] }.ToDirective();

        var result = await RunClaudeAsync("Read note.txt. " + script);

        Assert.False(result.GetProperty("is_error").GetBoolean());
        Assert.Equal("Done after tool", result.GetProperty("result").GetString());
        var afterTool = _fake.Requests.Where(r => r.Path == "/v1/chat/completions").Select(r => r.Json!.Value)
            .Last(body => body.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("role").GetString() == "tool"));
        var messages = afterTool.GetProperty("messages").EnumerateArray().ToList();
        var call = messages.Single(m => m.TryGetProperty("tool_calls", out _)).GetProperty("tool_calls")[0];
        var toolMessage = messages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("Read", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(call.GetProperty("id").GetString(), toolMessage.GetProperty("tool_call_id").GetString());
        Assert.Contains("pelican", toolMessage.GetProperty("content").GetString());
    }
}
