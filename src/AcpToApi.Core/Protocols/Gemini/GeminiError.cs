using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>{"error":{"code":404,"message":"…","status":"NOT_FOUND"}}.</summary>
internal sealed class GeminiErrorEnvelope
{
    [JsonPropertyName("error")] public GeminiErrorBody? Error { get; set; }
}

internal sealed class GeminiErrorBody
{
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}
