using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>{"role":"user"|"model","parts":[…]}.</summary>
internal sealed class GeminiContent
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("parts")] public List<GeminiPart>? Parts { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A union: exactly one of text, inlineData, fileData, functionCall, functionResponse is set.</summary>
internal sealed class GeminiPart
{
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("thought")] public bool? Thought { get; set; }
    [JsonPropertyName("thoughtSignature")] public string? ThoughtSignature { get; set; }
    [JsonPropertyName("inlineData")] public GeminiBlob? InlineData { get; set; }
    [JsonPropertyName("fileData")] public GeminiFileData? FileData { get; set; }
    [JsonPropertyName("functionCall")] public GeminiFunctionCall? FunctionCall { get; set; }
    [JsonPropertyName("functionResponse")] public GeminiFunctionResponse? FunctionResponse { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiBlob
{
    [JsonPropertyName("mimeType")] public string? MimeType { get; set; }
    /// <summary>Base64.</summary>
    [JsonPropertyName("data")] public string? Data { get; set; }
}

internal sealed class GeminiFileData
{
    [JsonPropertyName("mimeType")] public string? MimeType { get; set; }
    [JsonPropertyName("fileUri")] public string? FileUri { get; set; }
}

internal sealed class GeminiFunctionCall
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("args")] public JsonElement? Args { get; set; }
}

internal sealed class GeminiFunctionResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("response")] public JsonElement? Response { get; set; }
}
