using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// usageMetadata: Gemini counts thoughts apart from candidates, while our output count includes reasoning
/// (as OpenAI's completion_tokens does), so candidates = output − reasoning and total = input + output.
/// </summary>
internal static class GeminiUsageWriter
{
    public static void Write(Utf8JsonWriter w, ChatUsage usage)
    {
        var thoughts = usage.ReasoningTokens ?? 0;
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", usage.InputTokens);
        w.WriteNumber("candidatesTokenCount", Math.Max(0, usage.OutputTokens - thoughts));
        w.WriteNumber("totalTokenCount", usage.TotalTokens);
        if (usage.ReasoningTokens is { } reasoning)
        {
            w.WriteNumber("thoughtsTokenCount", reasoning);
        }
        if (usage.CacheReadTokens is { } cached)
        {
            w.WriteNumber("cachedContentTokenCount", cached);
        }
        w.WriteEndObject();
    }

    /// <summary>Client side: usageMetadata back to neutral counts.</summary>
    public static ChatUsage Read(GeminiUsageMetadata usage)
    {
        var thoughts = usage.ThoughtsTokenCount;
        return new ChatUsage(usage.PromptTokenCount ?? 0, (usage.CandidatesTokenCount ?? 0) + (thoughts ?? 0), thoughts, usage.CachedContentTokenCount);
    }
}
