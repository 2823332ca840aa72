using System.Text;
using System.Text.Json;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>One upstream SSE frame, parsed from its UTF-8 bytes: a chunk, the [DONE] marker, nothing, or unparsable text.</summary>
internal readonly record struct OpenAIFrame(string EventType, OpenAIChatChunk? Chunk, bool Done, bool Empty, string? Raw)
{
    public static OpenAIFrame Parse(string eventType, ReadOnlySpan<byte> data)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return new(eventType, null, false, true, null);
        }
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            return new(eventType, null, true, false, null);
        }
        try
        {
            return new(eventType, JsonSerializer.Deserialize(trimmed, OpenAIJsonContext.Default.OpenAIChatChunk), false, false, null);
        }
        catch (JsonException)
        {
            return new(eventType, null, false, false, Encoding.UTF8.GetString(data));
        }
    }
}
