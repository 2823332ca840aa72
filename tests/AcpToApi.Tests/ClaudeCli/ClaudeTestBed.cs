using System.ClientModel;
using System.ClientModel.Primitives;
using AcpToApi.Configuration;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>
/// The real, pinned Claude Code CLI behind the real gateway, talking to the fake LLM upstream: an isolated HOME and
/// CLAUDE_CONFIG_DIR, ANTHROPIC_BASE_URL pointed at the fake, a fake key, and no CLI retries so failures are quick.
/// The gateway's clock is <see cref="Clock"/>: idle timeouts and queue waits end only when the test moves it.
/// </summary>
public sealed class ClaudeTestBed : IAsyncDisposable
{
    /// <summary>A variable set in the gateway's environment that must never reach the CLI.</summary>
    public const string Canary = "ACPTOAPI_TEST_CANARY";

    private ClaudeTestBed(FakeLlmServer fake, GatewayServer server, FakeClock clock, string home, IReadOnlyDictionary<string, string> environment)
    {
        Clock = clock;
        Fake = fake;
        Server = server;
        Home = home;
        Environment = environment;
    }

    public static string BinaryPath { get; } = AgentRecipe.BinaryPath(TestEnvironment.RepoRoot, "claude");

    public FakeLlmServer Fake { get; }

    public GatewayServer Server { get; }

    public FakeClock Clock { get; }

    /// <summary>This test's private HOME: every claude process of this test, and only those, carry it.</summary>
    public string Home { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public static void RequireCli() =>
        TestEnvironment.Require(OperatingSystem.IsLinux() && File.Exists(BinaryPath), $"The pinned Claude Code CLI ({BinaryPath})");

    public static async Task<ClaudeTestBed> StartAsync(Dictionary<string, string?>? settings = null, string? upstreamOverride = null,
        Action<IServiceCollection>? services = null)
    {
        RequireCli();
        var home = Directory.CreateTempSubdirectory("acptoapi-claude-test-").FullName;
        var fake = await FakeLlmServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var environment = AgentRecipe.ClaudeEnvironment(home, upstreamOverride ?? fake.BaseUrl.GetLeftPart(UriPartial.Authority));
        environment[Canary] = "canary-value-that-must-not-leak";
        // No warm pool unless a test asks (it would add processes to every count), and the client's system prompt in
        // Claude Code's place unless a test asks for another placement.
        var given = new Dictionary<string, string?> { ["claudeBin"] = BinaryPath, ["claudePoolSize"] = "0", ["claudePromptPlacement"] = "replace" };
        foreach (var (key, value) in settings ?? [])
        {
            given[key] = value;
        }
        var clock = new FakeClock();
        var server = await GatewayServer.StartAsync(environment, given, clock, services);
        return new ClaudeTestBed(fake, server, clock, home, environment);
    }

    public ChatClient Client(string model = "claude/sonnet") =>
        new(model, new ApiKeyCredential("none"), new OpenAIClientOptions
        {
            Endpoint = Server.OpenAIEndpoint,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

    /// <summary>The one Anthropic Messages request the CLI sent (it also sends HEAD /).</summary>
    public Task<RecordedRequest> UpstreamMessageAsync() =>
        Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/v1/messages", Eventually.Bound, TestContext.Current.CancellationToken);

    /// <summary>Live processes started for this test (found by this test's HOME in their environment).</summary>
    /// <remarks>Only the CLI itself counts: short-lived helpers it starts inherit the HOME but are not the agent.</remarks>
    public IReadOnlyList<int> ClaudeProcesses() =>
        [.. ProcessTable.WithEnvironmentEntry("HOME=" + Home).Where(pid => ProcessTable.CommandLine(pid) is [var executable, ..] && executable == BinaryPath)];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
