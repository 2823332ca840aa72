using AcpToApi.Configuration;

namespace AcpToApi.Backends;

/// <summary>What every backend with an upstream (process, daemon or API) is configured with.</summary>
internal abstract record BackendOptions
{
    /// <summary>
    /// Longest silence allowed from the upstream while a response is in progress (504 after it). A backend that
    /// needs longer by default (Ollama loads models) sets its own default; the operator's value applies to all.
    /// </summary>
    [Setting("--idle-timeout", "ACPTOAPI_IDLE_TIMEOUT", "seconds a backend may stay silent mid-response (504)", Positive = true)]
    public double IdleTimeoutSeconds { get; set; } = 120;

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);
}
