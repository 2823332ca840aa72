namespace AcpToApi.FakeLlm;

/// <summary>Finish reasons in both vocabularies; a script may use either.</summary>
internal static class FinishReasons
{
    public static string ToOpenAI(FakeScript script) => script.FinishReason switch
    {
        null => script.ToolCalls.Count > 0 ? "tool_calls" : "stop",
        "end_turn" or "stop_sequence" => "stop",
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        var other => other,
    };

    public static string ToAnthropic(FakeScript script) => script.FinishReason switch
    {
        null => script.ToolCalls.Count > 0 ? "tool_use" : "end_turn",
        "stop" => "end_turn",
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        "content_filter" => "refusal",
        var other => other,
    };
}
