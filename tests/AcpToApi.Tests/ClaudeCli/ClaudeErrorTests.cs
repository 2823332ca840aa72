using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>Upstream failures seen through the real CLI become honest client statuses.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeErrorTests
{
    [Theory]
    [InlineData(400, 400)]
    [InlineData(401, 401)]
    [InlineData(429, 429)]
    [InlineData(500, 502)]
    public async Task UpstreamStatusBecomesTheClientStatus(int upstream, int expected)
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Status = upstream, ErrorMessage = $"fake failure {upstream}" });

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            bed.Client().CompleteChatStreamingAsync([new UserChatMessage("hi")], new ChatCompletionOptions(), TestContext.Current.CancellationToken)
                .GetAsyncEnumerator(TestContext.Current.CancellationToken).MoveNextAsync().AsTask());

        Assert.Equal(expected, error.Status);
        Assert.Contains(upstream.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Empty(bed.ClaudeProcesses());
    }

    [Fact]
    public async Task UnreachableUpstreamIs503()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var bed = await ClaudeTestBed.StartAsync(upstreamOverride: $"http://127.0.0.1:{closedPort}");

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(503, error.Status);
        Assert.Contains("Unable to connect", error.Message);
    }

    [Fact]
    public async Task AGatewayWhoseAnthropicBaseUrlIsItselfAnswers503AtOnceInsteadOfStartingProcessAfterProcess()
    {
        // As when acptoapi is started from a shell that exported ANTHROPIC_BASE_URL for Claude Code as a client.
        var port = AgentDaemons.AgentDaemon.FreePort();
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            upstreamOverride: $"http://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        // Without the gateway's refusal of its own CLI, each CLI's request would start another CLI until the process limit
        // answered 429 "slots are busy".
        Assert.Equal(503, error.Status);
        Assert.Contains("gateway_loop", error.Message, StringComparison.Ordinal);
        Assert.Contains("ANTHROPIC_BASE_URL in acptoapi's environment points at acptoapi itself", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Fake.Requests);
        Assert.Empty(bed.ClaudeProcesses());
    }

    [Fact]
    public async Task SilentCliPastTheIdleTimeoutIs504AndTheProcessIsKilled()
    {
        var idleTimeout = TimeSpan.FromSeconds(30);
        await using var bed = await ClaudeTestBed.StartAsync(new() { ["idleTimeoutSeconds"] = "30" });
        bed.Fake.Enqueue(new FakeScript { Tokens = ["never"], StallAfterTokens = 0 });

        var answer = bed.Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);
        await bed.UpstreamMessageAsync(); // the CLI runs, and its upstream is silent
        await bed.Clock.AdvanceUntilAsync(answer, idleTimeout, "the idle timeout ending the silent CLI's request");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => answer);

        Assert.Equal(504, error.Status);
        Assert.Contains("idle timeout", error.Message);
        await Eventually.WaitAsync(() => bed.ClaudeProcesses().Count == 0, "the silent claude process being killed");
    }

    [Fact]
    public async Task CliExitingWithoutAResultIs502WithTheTailOfItsStderr()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "needs /bin/sh");
        var directory = Directory.CreateTempSubdirectory("acptoapi-fake-claude-").FullName;
        try
        {
            // A stand-in that crashes the way a broken install does: a message on stderr, a non-zero exit, no result line.
            var script = Path.Combine(directory, "claude");
            File.WriteAllText(script, "#!/bin/sh\nread line\necho 'starting' >&2\necho 'fatal: simulated crash in the CLI' >&2\nexit 3\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            await using var server = await GatewayServer.StartAsync(
                new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, new() { ["claudeBin"] = script });
            var client = new ChatClient("claude/sonnet", new ApiKeyCredential("none"), new OpenAI.OpenAIClientOptions
            {
                Endpoint = server.OpenAIEndpoint,
                RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
            });

            var error = await Assert.ThrowsAsync<ClientResultException>(() =>
                client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

            Assert.Equal(502, error.Status);
            Assert.Contains("exited with code 3", error.Message);
            Assert.Contains("fatal: simulated crash in the CLI", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task MissingCliIs503WithAnInstallHintAndNoModelsAreListed()
    {
        await using var server = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["PATH"] = "/nonexistent" }, new() { ["claudeBin"] = "/nonexistent/claude" });
        var client = new ChatClient("claude/sonnet", new ApiKeyCredential("none"), new OpenAI.OpenAIClientOptions
        {
            Endpoint = server.OpenAIEndpoint,
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
        });

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));
        using var http = server.CreateHttpClient();
        var models = await http.GetStringAsync("/v1/models", TestContext.Current.CancellationToken);

        Assert.Equal(503, error.Status);
        Assert.Contains("npm install -g @anthropic-ai/claude-code", error.Message);
        Assert.DoesNotContain("claude/", models);
    }

    [Fact]
    public async Task ModelsAreListedWhenTheCliIsPresent()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        using var http = bed.Server.CreateHttpClient();

        var models = await http.GetStringAsync("/v1/models", TestContext.Current.CancellationToken);

        Assert.Contains("\"claude/sonnet\"", models);
        Assert.Contains("\"claude/haiku\"", models);
        Assert.Contains("\"claude/opus\"", models);
        Assert.DoesNotContain(bed.Fake.Requests, r => r.Path == "/v1/messages"); // the probe is --version, never a paid call
    }
}
