namespace AcpToApi.Backends;

/// <summary>What a cheap probe learned about a backend. Probes never create work (no sessions, no paid calls).
/// Built through the named factories, so a call site says which of the three states it means.</summary>
internal sealed record BackendStatus(bool Configured, bool Reachable, string Target, string? Detail = null, double? LatencyMs = null)
{
    /// <summary>Configured and answering.</summary>
    public static BackendStatus Reached(string target, string? detail, double? latencyMs = null) =>
        new(Configured: true, Reachable: true, target, detail, latencyMs);

    /// <summary>Configured, but the probe failed or the backend answered unhealthy.</summary>
    public static BackendStatus Unreachable(string target, string? detail, double? latencyMs = null) =>
        new(Configured: true, Reachable: false, target, detail, latencyMs);

    /// <summary>Not usable until the user configures it (a missing key or binary).</summary>
    public static BackendStatus NotConfigured(string target, string detail) =>
        new(Configured: false, Reachable: false, target, detail);

    /// <summary>Reached when the probe's answer was healthy, unreachable otherwise.</summary>
    public static BackendStatus Answered(bool healthy, string target, string? detail, double? latencyMs = null) =>
        healthy ? Reached(target, detail, latencyMs) : Unreachable(target, detail, latencyMs);

    /// <summary>A probe that threw: unreachable when configured, else not configured.</summary>
    public static BackendStatus Failed(bool configured, string target, string detail) =>
        configured ? Unreachable(target, detail) : NotConfigured(target, detail);
}
