using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>GET /v1beta/models: {"models":[{"name":"models/&lt;prefix&gt;/&lt;model&gt;",…}]}.</summary>
internal sealed class GeminiModelList
{
    [JsonPropertyName("models")] public List<GeminiModel> Models { get; set; } = [];
}

internal sealed class GeminiModel
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("baseModelId")] public string? BaseModelId { get; set; }
    [JsonPropertyName("version")] public string Version { get; set; } = "001";
    [JsonPropertyName("displayName")] public string DisplayName { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("supportedGenerationMethods")] public List<string> SupportedGenerationMethods { get; set; } = [];
}
