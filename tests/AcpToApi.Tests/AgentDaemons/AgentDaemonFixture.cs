using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>
/// One real daemon (with its fake LLM) and one gateway pointed at it, shared by a test class (start-up costs seconds).
/// The gateway's clock stands still (<see cref="Clock"/>): no idle timeout fires behind a test's back.
/// </summary>
public abstract class AgentDaemonFixture(string kind) : IAsyncLifetime
{
    public string Kind { get; } = kind;

    public bool Installed => AgentDaemon.IsInstalled(Kind);

    public AgentDaemon Daemon { get; private set; } = null!;

    public GatewayServer Gateway { get; private set; } = null!;

    public FakeClock Clock { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (!Installed)
        {
            return;
        }
        Daemon = await AgentDaemon.StartAsync(Kind);
        // The daemon's kind is also its URL setting's key ("kilo", "opencode").
        Gateway = await GatewayServer.StartAsync(settings: new() { [Kind] = Daemon.BaseUrl.ToString() }, time: Clock);
        await WarmUpAsync();
    }

    /// <summary>
    /// Readiness beyond /global/health: a fresh daemon loads its providers on the first listing and sets up the project
    /// on the first turn (seconds on a busy machine). One ordinary turn through the gateway gets both done before any test runs.
    /// </summary>
    private async Task WarmUpAsync()
    {
        // The first provider listing is the slow part; asked of the daemon itself first, with a bound far beyond the
        // gateway's own 30 s limit for it, so a busy machine does not fail the gateway's first turn.
        using (var daemon = new HttpClient { Timeout = TimeSpan.FromMinutes(3) })
        {
            (await daemon.GetAsync(new Uri(Daemon.BaseUrl, "config/providers"))).EnsureSuccessStatusCode();
        }
        using var http = Gateway.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(3);
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{Kind}}/{{AgentDaemon.FakeModel}}","messages":[{"role":"user","content":"warm up"}]}""",
            System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
