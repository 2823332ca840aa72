namespace AcpToApi.Streaming;

/// <summary>Why a response ended, named as Anthropic names it; an extensible set.</summary>
internal readonly record struct StopReason(string Value)
{
    public static readonly StopReason EndTurn = new("end_turn");
    public static readonly StopReason MaxTokens = new("max_tokens");
    public static readonly StopReason StopSequence = new("stop_sequence");
    public static readonly StopReason ToolUse = new("tool_use");
    public static readonly StopReason PauseTurn = new("pause_turn");
    public static readonly StopReason Refusal = new("refusal");

    /// <summary>The OpenAI finish_reason: stop, length, tool_calls or content_filter, never anything else.</summary>
    public string ToOpenAI() => Value switch
    {
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    public static StopReason FromOpenAI(string? finishReason) => finishReason switch
    {
        "length" => MaxTokens,
        "tool_calls" or "function_call" => ToolUse,
        "content_filter" => Refusal,
        _ => EndTurn,
    };

    public override string ToString() => Value;
}
