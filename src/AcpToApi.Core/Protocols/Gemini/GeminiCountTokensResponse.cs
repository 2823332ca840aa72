using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>The answer of :countTokens.</summary>
internal sealed class GeminiCountTokensResponse
{
    [JsonPropertyName("totalTokens")] public int TotalTokens { get; set; }
}
