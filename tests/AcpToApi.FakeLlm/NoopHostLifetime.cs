using Microsoft.Extensions.Hosting;

namespace AcpToApi.FakeLlm;

/// <summary>Keeps the host from hooking Ctrl+C / SIGTERM: inside a test process the fake is stopped by disposal.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
