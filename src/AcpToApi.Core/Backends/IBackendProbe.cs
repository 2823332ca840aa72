namespace AcpToApi.Backends;

/// <summary>Optional side of a backend: health probe and model list, for /health and /v1/models.</summary>
internal interface IBackendProbe
{
    /// <summary>Where the backend is expected (URL or binary path), for start-up lines and /health.</summary>
    string Target { get; }

    /// <summary>True when the backend can be used at all (for example its key is set).</summary>
    bool IsConfigured { get; }

    Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>The backend's model names, without our prefix; empty when unknown or unreachable.</summary>
    Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);
}
