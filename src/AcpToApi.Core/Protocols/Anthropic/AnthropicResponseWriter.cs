using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>Server side: renders a folded response as a Messages API message object.</summary>
internal static class AnthropicResponseWriter
{
    public static void Write(Utf8JsonWriter w, ChatResponse response, string id, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        var text = new StringBuilder();
        foreach (var part in response.Content)
        {
            switch (part)
            {
                case TextPart t:
                    text.Append(t.Text);
                    break;
                case ToolResultPart result:
                    text.Append(ToolResultMarker.Format(result.Name, result.ToolCallId, result.Text));
                    break;
                default:
                    FlushText(w, text);
                    WriteBlock(w, part);
                    break;
            }
        }
        FlushText(w, text);
        w.WriteEndArray();
        w.WriteString("stop_reason", response.StopReason.Value);
        WriteStopSequence(w, response.StopSequence);
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", response.Usage?.InputTokens ?? 0);
        w.WriteNumber("output_tokens", response.Usage?.OutputTokens ?? 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void FlushText(Utf8JsonWriter w, StringBuilder text)
    {
        if (text.Length == 0)
        {
            return;
        }
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text.ToString());
        w.WriteEndObject();
        text.Clear();
    }

    private static void WriteBlock(Utf8JsonWriter w, ContentPart part)
    {
        switch (part)
        {
            case ReasoningPart reasoning:
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", reasoning.Text);
                w.WriteString("signature", reasoning.Signature ?? "");
                w.WriteEndObject();
                break;
            case ToolCallPart call:
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                w.WritePropertyName("input");
                if (call.ParseArguments() is { ValueKind: JsonValueKind.Object } input)
                {
                    input.WriteTo(w);
                }
                else
                {
                    // Arguments that are not a JSON object cannot be an Anthropic input; keep them visible, not lost.
                    w.WriteStartObject();
                    w.WriteString("_raw_arguments", call.ArgumentsJson);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                break;
        }
    }

    /// <summary>The matched stop sequence, or null (Anthropic sends the field either way).</summary>
    internal static void WriteStopSequence(Utf8JsonWriter w, string? stopSequence)
    {
        if (stopSequence is null)
        {
            w.WriteNull("stop_sequence");
        }
        else
        {
            w.WriteString("stop_sequence", stopSequence);
        }
    }
}
