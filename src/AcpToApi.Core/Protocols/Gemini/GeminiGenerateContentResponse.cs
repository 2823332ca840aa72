using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>One response (or one streamed chunk): the client-side view, read leniently.</summary>
internal sealed class GeminiGenerateContentResponse
{
    [JsonPropertyName("candidates")] public List<GeminiCandidate>? Candidates { get; set; }
    [JsonPropertyName("usageMetadata")] public GeminiUsageMetadata? UsageMetadata { get; set; }
    [JsonPropertyName("modelVersion")] public string? ModelVersion { get; set; }
    [JsonPropertyName("responseId")] public string? ResponseId { get; set; }
    /// <summary>Set when a stream ends with an in-band error instead of a chunk.</summary>
    [JsonPropertyName("error")] public GeminiErrorBody? Error { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiCandidate
{
    [JsonPropertyName("content")] public GeminiContent? Content { get; set; }
    [JsonPropertyName("finishReason")] public string? FinishReason { get; set; }
    [JsonPropertyName("index")] public int? Index { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiUsageMetadata
{
    [JsonPropertyName("promptTokenCount")] public int? PromptTokenCount { get; set; }
    [JsonPropertyName("candidatesTokenCount")] public int? CandidatesTokenCount { get; set; }
    [JsonPropertyName("totalTokenCount")] public int? TotalTokenCount { get; set; }
    [JsonPropertyName("thoughtsTokenCount")] public int? ThoughtsTokenCount { get; set; }
    [JsonPropertyName("cachedContentTokenCount")] public int? CachedContentTokenCount { get; set; }
}
