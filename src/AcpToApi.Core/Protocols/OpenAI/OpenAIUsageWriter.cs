using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

internal static class OpenAIUsageWriter
{
    public static void Write(Utf8JsonWriter w, ChatUsage usage)
    {
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens", usage.InputTokens);
        w.WriteNumber("completion_tokens", usage.OutputTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        if (usage.CacheReadTokens is { } cached)
        {
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", cached);
            w.WriteEndObject();
        }
        if (usage.ReasoningTokens is { } reasoning)
        {
            w.WriteStartObject("completion_tokens_details");
            w.WriteNumber("reasoning_tokens", reasoning);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
