using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>The wire shape of POST /v1/messages. Content and system may be strings or block arrays, kept as JSON.</summary>
internal sealed class AnthropicMessagesRequest
{
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("messages")] public List<AnthropicMessage>? Messages { get; set; }
    /// <summary>A string or an array of text blocks.</summary>
    [JsonPropertyName("system")] public JsonElement? System { get; set; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }
    [JsonPropertyName("stop_sequences")] public List<string>? StopSequences { get; set; }
    [JsonPropertyName("stream")] public bool? Stream { get; set; }
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("top_p")] public double? TopP { get; set; }
    [JsonPropertyName("top_k")] public int? TopK { get; set; }
    [JsonPropertyName("tools")] public List<AnthropicTool>? Tools { get; set; }
    [JsonPropertyName("tool_choice")] public AnthropicToolChoice? ToolChoice { get; set; }
    [JsonPropertyName("thinking")] public AnthropicThinking? Thinking { get; set; }
    [JsonPropertyName("metadata")] public AnthropicMetadata? Metadata { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class AnthropicMessage
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    /// <summary>A string or an array of content blocks.</summary>
    [JsonPropertyName("content")] public JsonElement? Content { get; set; }
}

internal sealed class AnthropicTool
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("input_schema")] public JsonElement? InputSchema { get; set; }
    /// <summary>Set for Anthropic's server tools (web_search_…, bash_…); only custom tools can be routed.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class AnthropicToolChoice
{
    /// <summary>auto | any | tool | none.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("disable_parallel_tool_use")] public bool? DisableParallelToolUse { get; set; }
}

internal sealed class AnthropicThinking
{
    /// <summary>enabled | disabled | adaptive.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("budget_tokens")] public int? BudgetTokens { get; set; }
}

internal sealed class AnthropicMetadata
{
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
}

/// <summary>POST /v1/messages/count_tokens has the request's shape without max_tokens.</summary>
internal sealed class AnthropicCountTokensResponse
{
    [JsonPropertyName("input_tokens")] public int InputTokens { get; set; }
}
