using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>{"error":{"message","type","param","code"}}.</summary>
internal sealed class OpenAIErrorEnvelope
{
    [JsonPropertyName("error")] public OpenAIErrorBody? Error { get; set; }
}

internal sealed class OpenAIErrorBody
{
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("param")] public string? Param { get; set; }
    [JsonPropertyName("code")] public string? Code { get; set; }
}
