using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Maps stop reasons to Gemini's finishReason and back. Gemini has no "tool use" reason: a turn that ends in function calls is STOP.</summary>
internal static class GeminiFinishReason
{
    public static string From(StopReason stopReason) => stopReason.Value switch
    {
        "end_turn" or "stop_sequence" or "tool_use" or "pause_turn" => "STOP",
        "max_tokens" => "MAX_TOKENS",
        "refusal" => "SAFETY",
        _ => "OTHER",
    };

    public static StopReason ToStopReason(string? finishReason, bool madeToolCalls) => finishReason switch
    {
        "MAX_TOKENS" => StopReason.MaxTokens,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => StopReason.Refusal,
        _ when madeToolCalls => StopReason.ToolUse,
        _ => StopReason.EndTurn,
    };
}
