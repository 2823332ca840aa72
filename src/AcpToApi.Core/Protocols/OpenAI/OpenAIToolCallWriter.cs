using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Whole tool calls as OpenAI writes them in messages: [{"id","type":"function","function":{"name","arguments"}}].</summary>
internal static class OpenAIToolCallWriter
{
    public static void Write(Utf8JsonWriter w, IEnumerable<ToolCallPart> calls)
    {
        w.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("id", call.Id);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WriteString("arguments", call.ArgumentsJson);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
