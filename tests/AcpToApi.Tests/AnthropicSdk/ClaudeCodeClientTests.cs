using System.Diagnostics;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AnthropicSdk;

/// <summary>The real Claude Code CLI as a client of /v1/messages, answered by an openai/ model on the fake upstream.</summary>
public sealed class ClaudeCodeClientTests : IAsyncLifetime
{
    private FakeLlmServer _fake = null!;
    private GatewayServer _gateway = null!;
    private string _home = null!;
    private string _work = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        // Claude Code's own background calls use bare claude-* names: send those to the fake too.
        _gateway = await GatewayServer.StartAsync(OpenAIUpstream.Environment(_fake), new() { ["anthropicModelBackend"] = "openai" });
        _home = Directory.CreateTempSubdirectory("acptoapi-claude-client-home-").FullName;
        _work = Directory.CreateTempSubdirectory("acptoapi-claude-client-work-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _fake.DisposeAsync();
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    private async Task<JsonElement> RunClaudeAsync(string prompt)
    {
        var claude = BackendBinaries.Require(BackendBinaries.Claude);
        var start = new ProcessStartInfo(claude)
        {
            WorkingDirectory = _work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "-p", prompt, "--output-format", "json", "--model", "openai/fake-model" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = _home;
        start.Environment["CLAUDE_CONFIG_DIR"] = Path.Combine(_home, ".claude");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(_home, ".local", "share");
        start.Environment["XDG_STATE_HOME"] = Path.Combine(_home, ".local", "state");
        start.Environment["ANTHROPIC_BASE_URL"] = _gateway.BaseUrl.ToString().TrimEnd('/');
        start.Environment["ANTHROPIC_API_KEY"] = "sk-ant-fake";
        start.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        start.Environment["DISABLE_AUTOUPDATER"] = "1";
        start.Environment["DISABLE_TELEMETRY"] = "1";
        start.Environment["DISABLE_ERROR_REPORTING"] = "1";
        start.Environment["CLAUDE_CODE_MAX_RETRIES"] = "0";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"claude exited {process.ExitCode}: {output} {await stderr}");
        return JsonDocument.Parse(output).RootElement;
    }

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
        var file = Path.Combine(_work, "note.txt");
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
