using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>One streamed chunk (or, with <see cref="Error"/>, an in-band error frame).</summary>
internal sealed class OpenAIChatChunk
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("choices")] public List<OpenAIChunkChoice>? Choices { get; set; }
    [JsonPropertyName("usage")] public OpenAIUsage? Usage { get; set; }
    [JsonPropertyName("error")] public OpenAIErrorBody? Error { get; set; }
}

internal sealed class OpenAIChunkChoice
{
    [JsonPropertyName("index")] public int Index { get; set; }
    [JsonPropertyName("delta")] public OpenAIDelta? Delta { get; set; }
    [JsonPropertyName("finish_reason")] public string? FinishReason { get; set; }
}

internal sealed class OpenAIDelta
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; set; }
    /// <summary>OpenRouter and some others name the field "reasoning".</summary>
    [JsonPropertyName("reasoning")] public string? Reasoning { get; set; }
    [JsonPropertyName("refusal")] public string? Refusal { get; set; }
    [JsonPropertyName("tool_calls")] public List<OpenAIToolCallDelta>? ToolCalls { get; set; }
}

internal sealed class OpenAIToolCallDelta
{
    [JsonPropertyName("index")] public int? Index { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("function")] public OpenAIFunctionCall? Function { get; set; }
}

internal sealed class OpenAIUsage
{
    [JsonPropertyName("prompt_tokens")] public int PromptTokens { get; set; }
    [JsonPropertyName("completion_tokens")] public int CompletionTokens { get; set; }
    [JsonPropertyName("total_tokens")] public int TotalTokens { get; set; }
    [JsonPropertyName("completion_tokens_details")] public OpenAICompletionTokensDetails? CompletionTokensDetails { get; set; }
    [JsonPropertyName("prompt_tokens_details")] public OpenAIPromptTokensDetails? PromptTokensDetails { get; set; }
}

internal sealed class OpenAICompletionTokensDetails
{
    [JsonPropertyName("reasoning_tokens")] public int? ReasoningTokens { get; set; }
}

internal sealed class OpenAIPromptTokensDetails
{
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; set; }
}
