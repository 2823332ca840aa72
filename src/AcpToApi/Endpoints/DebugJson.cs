using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>JSON views of the neutral request and events, for /debug/translate.</summary>
internal static class DebugJson
{
    public static void WriteRequest(Utf8JsonWriter w, ChatRequest request)
    {
        w.WriteStartObject();
        w.WriteString("model", request.Model);
        w.WriteBoolean("stream", request.Stream);
        if (request.MaxTokens is { } max) w.WriteNumber("max_tokens", max);
        if (request.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        if (request.ToolChoice is { } choice) w.WriteString("tool_choice", choice.FunctionName ?? choice.Mode.ToString());
        w.WriteStartArray("tools");
        foreach (var tool in request.Tools) w.WriteStringValue(tool.Name);
        w.WriteEndArray();
        w.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            w.WriteStartObject();
            w.WriteString("role", message.Role.Value);
            w.WriteStartArray("parts");
            foreach (var part in message.Content)
            {
                WritePart(w, part);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter w, ContentPart part)
    {
        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                break;
            case ImagePart image:
                w.WriteString("type", "image");
                w.WriteString("media_type", image.MediaType);
                w.WriteString("url", image.Base64Data is null ? image.Url : $"(inline, {image.Base64Data.Length} base64 chars)");
                break;
            case ReasoningPart reasoning:
                w.WriteString("type", "reasoning");
                w.WriteString("text", reasoning.Text);
                w.WriteBoolean("signed", reasoning.Signature is not null);
                break;
            case ToolCallPart call:
                w.WriteString("type", "tool_call");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                w.WriteString("arguments", call.ArgumentsJson);
                break;
            case ToolResultPart result:
                w.WriteString("type", "tool_result");
                w.WriteString("tool_call_id", result.ToolCallId);
                w.WriteString("name", result.Name);
                w.WriteString("text", result.Text);
                w.WriteBoolean("is_error", result.IsError);
                break;
        }
        w.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter w, ChatEvent chatEvent)
    {
        w.WriteStartObject();
        switch (chatEvent)
        {
            case ResponseStarted e:
                w.WriteString("id", e.ResponseId);
                w.WriteString("model", e.Model);
                break;
            case BlockStarted e:
                w.WriteNumber("index", e.Index);
                w.WriteString("kind", e.Kind.ToString());
                if (e.ToolCallId is not null) w.WriteString("tool_call_id", e.ToolCallId);
                if (e.ToolName is not null) w.WriteString("tool_name", e.ToolName);
                break;
            case TextDelta e:
                w.WriteNumber("index", e.Index);
                w.WriteString("text", e.Text);
                break;
            case ReasoningDelta e:
                w.WriteNumber("index", e.Index);
                w.WriteString("text", e.Text);
                break;
            case SignatureDelta e:
                w.WriteNumber("index", e.Index);
                w.WriteString("signature", e.Signature);
                break;
            case ToolArgumentsDelta e:
                w.WriteNumber("index", e.Index);
                w.WriteString("json", e.JsonFragment);
                break;
            case BlockStopped e:
                w.WriteNumber("index", e.Index);
                break;
            case UsageReported e:
                w.WriteNumber("input_tokens", e.Usage.InputTokens);
                w.WriteNumber("output_tokens", e.Usage.OutputTokens);
                break;
            case Heartbeat e:
                w.WriteString("note", e.Note);
                break;
            case ResponseCompleted e:
                w.WriteString("stop_reason", e.StopReason.Value);
                break;
        }
        w.WriteEndObject();
    }
}
