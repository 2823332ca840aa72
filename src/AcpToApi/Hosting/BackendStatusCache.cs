using System.Collections.Concurrent;
using AcpToApi.Backends;

namespace AcpToApi.Hosting;

/// <summary>
/// Caches probe results (5 s) and model lists (60 s) per backend, bounded by a short timeout, so /health and
/// /v1/models stay fast and never hammer a backend. Ages and the timeout run on the app's clock.
/// </summary>
internal sealed class BackendStatusCache(TimeProvider time)
{
    private static readonly TimeSpan ProbeTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ModelsTtl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<BackendStatus> Status)> _probes = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<IReadOnlyList<string>> Models)> _models = new();

    public Task<BackendStatus> ProbeAsync(BackendRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.Probe is not { } probe)
        {
            return Task.FromResult(BackendStatus.Reached("-", "no probe"));
        }
        var now = time.GetUtcNow();
        var entry = _probes.AddOrUpdate(
            registration.Prefix,
            _ => (now, RunProbeAsync(probe)),
            (_, existing) => now - existing.At < ProbeTtl ? existing : (now, RunProbeAsync(probe)));
        return entry.Status.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListModelsAsync(BackendRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.Probe is not { IsConfigured: true } probe)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        var now = time.GetUtcNow();
        var entry = _models.AddOrUpdate(
            registration.Prefix,
            _ => (now, RunListAsync(probe)),
            // An empty list (backend down or still starting) is not kept: the next call asks again.
            (_, existing) => now - existing.At < ModelsTtl && !existing.Models.IsFaulted && !IsEmpty(existing.Models) ? existing : (now, RunListAsync(probe)));
        return entry.Models.WaitAsync(cancellationToken);
    }

    private static bool IsEmpty(Task<IReadOnlyList<string>> models) => models.IsCompletedSuccessfully && models.Result.Count == 0;

    private async Task<BackendStatus> RunProbeAsync(IBackendProbe probe)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, time);
        try
        {
            return await probe.ProbeAsync(timeout.Token);
        }
        catch (Exception e)
        {
            return BackendStatus.Failed(probe.IsConfigured, probe.Target, e is OperationCanceledException ? "probe timed out" : e.Message);
        }
    }

    private async Task<IReadOnlyList<string>> RunListAsync(IBackendProbe probe)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, time);
        try
        {
            return await probe.ListModelsAsync(timeout.Token);
        }
        catch (Exception)
        {
            return [];
        }
    }
}
