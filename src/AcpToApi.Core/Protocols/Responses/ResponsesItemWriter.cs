using System.Text.Json;

namespace AcpToApi.Protocols.Responses;

/// <summary>Output items, whole (in <c>response.output_item.done</c> and in the response's <c>output</c>).</summary>
internal static class ResponsesItemWriter
{
    public static byte[] Message(string id, string status, string text) => WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("status", status);
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        if (status == "completed")
        {
            TextPart(w, text);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static void TextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteString("text", text);
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteStartArray("logprobs");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static byte[] Reasoning(string id, string? summary, string? signature) => WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "reasoning");
        w.WriteStartArray("summary");
        if (summary is not null)
        {
            SummaryPart(w, summary);
        }
        w.WriteEndArray();
        if (ResponsesReasoningSignature.Wrap(signature) is { } encrypted)
        {
            w.WriteString("encrypted_content", encrypted);
        }
        else
        {
            w.WriteNull("encrypted_content");
        }
        w.WriteEndObject();
    });

    public static void SummaryPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "summary_text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    public static byte[] FunctionCall(string id, string status, string callId, string name, string arguments) => WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "function_call");
        w.WriteString("status", status);
        w.WriteString("call_id", callId);
        w.WriteString("name", name);
        w.WriteString("arguments", arguments);
        w.WriteEndObject();
    });
}
