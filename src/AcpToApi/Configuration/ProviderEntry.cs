using System.Text.Json.Serialization;

namespace AcpToApi.Configuration;

/// <summary>A config-file entry that adds (or overrides) an OpenAI-compatible backend under a prefix.</summary>
public sealed class ProviderEntry
{
    [JsonPropertyName("prefix")] public string Prefix { get; set; } = "";

    /// <summary>Base URL including the version path, e.g. http://127.0.0.1:8000/v1.</summary>
    [JsonPropertyName("baseUrl")] public string BaseUrl { get; set; } = "";

    /// <summary>Name of the environment variable holding the key; omit for servers that need none.</summary>
    [JsonPropertyName("apiKeyEnv")] public string? ApiKeyEnv { get; set; }
}
