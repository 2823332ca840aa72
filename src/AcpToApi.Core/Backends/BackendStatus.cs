namespace AcpToApi.Backends;

/// <summary>What a cheap probe learned about a backend. Probes never create work (no sessions, no paid calls).</summary>
public sealed record BackendStatus(bool Configured, bool Reachable, string Target, string? Detail = null, double? LatencyMs = null);
