using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Server side: renders a folded <see cref="ChatResponse"/> as a chat.completion object.</summary>
internal static class OpenAIResponseWriter
{
    public static void Write(Utf8JsonWriter w, ChatResponse response, string id, long created, string model)
    {
        var content = new StringBuilder();
        foreach (var part in response.Content)
        {
            switch (part)
            {
                case TextPart text:
                    content.Append(text.Text);
                    break;
                case ToolResultPart result:
                    content.Append(ToolResultMarker.Format(result.Name, result.ToolCallId, result.Text));
                    break;
            }
        }
        var toolCalls = response.ToolCalls.ToList();

        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (content.Length == 0 && toolCalls.Count > 0)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", content.ToString());
        }
        if (response.Reasoning is { } reasoning)
        {
            w.WriteString("reasoning_content", reasoning);
        }
        if (toolCalls.Count > 0)
        {
            OpenAIToolCallWriter.Write(w, toolCalls);
        }
        w.WriteNull("refusal");
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", response.StopReason.ToOpenAI());
        w.WriteEndObject();
        w.WriteEndArray();
        w.WritePropertyName("usage");
        OpenAIUsageWriter.Write(w, response.Usage ?? new ChatUsage(0, 0));
        w.WriteEndObject();
    }
}
