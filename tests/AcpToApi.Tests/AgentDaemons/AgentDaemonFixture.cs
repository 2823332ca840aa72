using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>One real daemon (with its fake LLM) and one gateway pointed at it, shared by a test class (start-up costs seconds).</summary>
public abstract class AgentDaemonFixture(string kind) : IAsyncLifetime
{
    public string Kind { get; } = kind;

    public bool Installed => AgentDaemon.IsInstalled(Kind);

    public AgentDaemon Daemon { get; private set; } = null!;

    public GatewayServer Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!Installed)
        {
            return;
        }
        Daemon = await AgentDaemon.StartAsync(Kind);
        Gateway = await GatewayServer.StartAsync(configure: options => Kind == "kilo"
            ? options with { KiloUrl = Daemon.BaseUrl }
            : options with { OpenCodeUrl = Daemon.BaseUrl });
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

public sealed class OpenCodeDaemonFixture() : AgentDaemonFixture("opencode");

public sealed class KiloDaemonFixture() : AgentDaemonFixture("kilo");
