namespace AcpToApi.Configuration;

/// <summary>A config-file entry that adds (or overrides) an OpenAI-compatible backend under a prefix.</summary>
internal sealed class ProviderEntry
{
    public string Prefix { get; set; } = "";

    /// <summary>Base URL including the version path, e.g. http://127.0.0.1:8000/v1.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Name of the environment variable holding the key; omit for servers that need none.</summary>
    public string? ApiKeyEnv { get; set; }
}
