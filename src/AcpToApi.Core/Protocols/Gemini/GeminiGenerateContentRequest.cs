using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>The body of :generateContent, :streamGenerateContent and :countTokens; the model is in the path.</summary>
internal sealed class GeminiGenerateContentRequest
{
    [JsonPropertyName("contents")] public List<GeminiContent>? Contents { get; set; }
    [JsonPropertyName("systemInstruction")] public GeminiContent? SystemInstruction { get; set; }
    [JsonPropertyName("generationConfig")] public GeminiGenerationConfig? GenerationConfig { get; set; }
    [JsonPropertyName("tools")] public List<GeminiTool>? Tools { get; set; }
    [JsonPropertyName("toolConfig")] public GeminiToolConfig? ToolConfig { get; set; }
    [JsonPropertyName("safetySettings")] public JsonElement? SafetySettings { get; set; }
    [JsonPropertyName("cachedContent")] public string? CachedContent { get; set; }

    /// <summary>:countTokens may wrap the whole request: {"generateContentRequest":{…}}.</summary>
    [JsonPropertyName("generateContentRequest")] public GeminiGenerateContentRequest? GenerateContentRequest { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiGenerationConfig
{
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("topP")] public double? TopP { get; set; }
    [JsonPropertyName("topK")] public double? TopK { get; set; }
    [JsonPropertyName("maxOutputTokens")] public int? MaxOutputTokens { get; set; }
    [JsonPropertyName("stopSequences")] public List<string>? StopSequences { get; set; }
    [JsonPropertyName("candidateCount")] public int? CandidateCount { get; set; }
    [JsonPropertyName("seed")] public long? Seed { get; set; }
    [JsonPropertyName("responseMimeType")] public string? ResponseMimeType { get; set; }
    /// <summary>OpenAPI-style schema (types may be upper case, e.g. "OBJECT").</summary>
    [JsonPropertyName("responseSchema")] public JsonElement? ResponseSchema { get; set; }
    /// <summary>Standard JSON Schema.</summary>
    [JsonPropertyName("responseJsonSchema")] public JsonElement? ResponseJsonSchema { get; set; }
    [JsonPropertyName("thinkingConfig")] public GeminiThinkingConfig? ThinkingConfig { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiThinkingConfig
{
    [JsonPropertyName("includeThoughts")] public bool? IncludeThoughts { get; set; }
    [JsonPropertyName("thinkingBudget")] public int? ThinkingBudget { get; set; }
    /// <summary>LOW | MEDIUM | HIGH (newer models).</summary>
    [JsonPropertyName("thinkingLevel")] public string? ThinkingLevel { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
