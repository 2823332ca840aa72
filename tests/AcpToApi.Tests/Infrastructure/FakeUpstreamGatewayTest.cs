using AcpToApi.Configuration;
using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// A test class that runs the real gateway in front of the fake LLM upstream: each test gets a fresh
/// fake, a gateway started with the environment the class gives, and an HTTP client for raw requests. The gateway's clock
/// is <see cref="Clock"/>, which stands still unless the test moves it: idle timeouts and keep-alives happen when a test
/// says so, never because the machine was slow.
/// </summary>
public abstract class FakeUpstreamGatewayTest : IAsyncLifetime
{
    protected FakeLlmServer Fake { get; private set; } = null!;

    protected GatewayServer Gateway { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected FakeClock Clock { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The fake's root URL without a trailing slash (what *_BASE_URL variables without a version take).</summary>
    protected string FakeRoot => Fake.BaseUrl.ToString().TrimEnd('/');

    /// <summary>The gateway's environment: the variables that point a backend at the fake.</summary>
    protected abstract Dictionary<string, string> Environment();

    /// <summary>Settings for the gateway by config key, as <see cref="GatewayServer.StartAsync"/> takes them.</summary>
    protected virtual Dictionary<string, string?> Settings() => [];

    public async ValueTask InitializeAsync()
    {
        Fake = await FakeLlmServer.StartAsync(cancellationToken: Ct);
        Gateway = await GatewayServer.StartAsync(Environment(), Settings(), Clock);
        ForgetStartupProbes(Gateway);
        Http = Gateway.CreateHttpClient();
    }

    /// <summary>
    /// The requests a gateway program (an external server, unlike the in-process gateway) sent the fake while starting:
    /// it probes its backends for the start-up report, which is printed, the probes done, before StartAsync returns.
    /// </summary>
    protected IReadOnlyList<RecordedRequest> StartupProbes { get; private set; } = [];

    /// <summary>Moves what an external server's start-up probes sent the fake to <see cref="StartupProbes"/>, so a test sees its own requests only.</summary>
    protected void ForgetStartupProbes(GatewayServer gateway)
    {
        if (gateway.Process is not null)
        {
            StartupProbes = [.. StartupProbes, .. Fake.Requests];
            Fake.ClearRequests();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Null-safe: when start-up failed, its own error is the one to report.
        Http?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Fake is not null)
        {
            await Fake.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
