using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Server side: renders a folded <see cref="ChatResponse"/> as one GenerateContentResponse.</summary>
internal static class GeminiResponseWriter
{
    public static void Write(Utf8JsonWriter w, ChatResponse response, string responseId, string modelVersion, bool includeThoughts)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        var wrote = false;
        var text = new StringBuilder();
        string? pendingSignature = null;
        string? TakeSignature()
        {
            var signature = pendingSignature;
            pendingSignature = null;
            return signature;
        }
        void FlushText()
        {
            if (text.Length > 0)
            {
                GeminiPartWriter.WriteText(w, text.ToString(), TakeSignature());
                text.Clear();
                wrote = true;
            }
        }
        foreach (var part in response.Content)
        {
            switch (part)
            {
                case TextPart textPart:
                    text.Append(textPart.Text);
                    break;
                case ToolResultPart result:
                    text.Append(ToolResultMarker.Format(result.Name, result.ToolCallId, result.Text));
                    break;
                case ReasoningPart reasoning when includeThoughts:
                    FlushText();
                    GeminiPartWriter.WriteThought(w, reasoning.Text, reasoning.Signature);
                    wrote = true;
                    break;
                case ReasoningPart { Signature: { } signature }:
                    // Hidden thoughts: the signature goes on the next part, as Gemini does.
                    FlushText();
                    pendingSignature = signature;
                    break;
                case ToolCallPart call:
                    FlushText();
                    GeminiPartWriter.WriteFunctionCall(w, call.Id, call.Name, call.ArgumentsJson, TakeSignature());
                    wrote = true;
                    break;
            }
        }
        FlushText();
        if (!wrote || pendingSignature is not null)
        {
            GeminiPartWriter.WriteText(w, "", TakeSignature());
        }
        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        w.WriteString("finishReason", GeminiFinishReason.From(response.StopReason));
        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        GeminiUsageWriter.Write(w, response.Usage ?? new ChatUsage(0, 0));
        w.WriteString("modelVersion", modelVersion);
        w.WriteString("responseId", responseId);
        w.WriteEndObject();
    }
}
