using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Responses;

/// <summary>
/// The body of <c>POST /v1/responses</c>. Items, tools and choices vary by type, so they stay opaque JSON for the
/// reader; unknown fields (clients send many: <c>prompt_cache_key</c>, <c>client_metadata</c>, …) are kept, not refused.
/// </summary>
internal sealed class ResponsesRequest
{
    [JsonPropertyName("model")] public string? Model { get; set; }

    /// <summary>A string (one user message) or an array of input items.</summary>
    [JsonPropertyName("input")] public JsonElement? Input { get; set; }

    [JsonPropertyName("instructions")] public string? Instructions { get; set; }

    [JsonPropertyName("tools")] public List<JsonElement>? Tools { get; set; }

    [JsonPropertyName("tool_choice")] public JsonElement? ToolChoice { get; set; }

    [JsonPropertyName("parallel_tool_calls")] public bool? ParallelToolCalls { get; set; }

    [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; set; }

    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    [JsonPropertyName("top_p")] public double? TopP { get; set; }

    [JsonPropertyName("reasoning")] public ResponsesReasoningOptions? Reasoning { get; set; }

    [JsonPropertyName("text")] public ResponsesTextOptions? Text { get; set; }

    [JsonPropertyName("stream")] public bool? Stream { get; set; }

    /// <summary>Keep the response for <c>previous_response_id</c> and <c>GET</c>; OpenAI's default is true.</summary>
    [JsonPropertyName("store")] public bool? Store { get; set; }

    [JsonPropertyName("previous_response_id")] public string? PreviousResponseId { get; set; }

    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }

    [JsonPropertyName("include")] public List<string>? Include { get; set; }

    [JsonPropertyName("user")] public string? User { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ResponsesReasoningOptions
{
    /// <summary>minimal, low, medium, high (none: no reasoning).</summary>
    [JsonPropertyName("effort")] public string? Effort { get; set; }

    [JsonPropertyName("summary")] public string? Summary { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ResponsesTextOptions
{
    /// <summary><c>{"type":"text"}</c>, <c>{"type":"json_object"}</c> or <c>{"type":"json_schema","name","schema","strict"}</c>.</summary>
    [JsonPropertyName("format")] public JsonElement? Format { get; set; }

    [JsonPropertyName("verbosity")] public string? Verbosity { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ResponsesRequest))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext;
