namespace AcpToApi.Tests.Infrastructure;

/// <summary>A test class with its own gateway on default settings (the built-in echo backend) and a client for it.</summary>
public abstract class EchoGatewayTest : IAsyncLifetime
{
    protected GatewayServer Gateway { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Gateway = await GatewayServer.StartAsync();
        Http = Gateway.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
