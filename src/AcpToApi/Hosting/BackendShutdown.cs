using AcpToApi.Backends;

namespace AcpToApi.Hosting;

/// <summary>
/// Stops the backends as soon as shutdown begins (<see cref="IHostedLifecycleService.StoppingAsync"/> runs before
/// Kestrel waits for in-flight requests): backends that own child processes stop them, so their requests end at once
/// instead of holding the graceful-shutdown window open. The container disposes the router again later; that is a no-op.
/// </summary>
internal sealed class BackendShutdown(BackendRouter router) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken) => await router.DisposeAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
