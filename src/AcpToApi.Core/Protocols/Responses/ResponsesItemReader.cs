using System.Text.Json;
using AcpToApi.Conversation;
using static AcpToApi.Protocols.Responses.ResponsesRequestReader;

namespace AcpToApi.Protocols.Responses;

/// <summary>
/// Input items as messages: <c>message</c> (any role), <c>function_call</c> and <c>custom_tool_call</c> (assistant tool
/// calls; consecutive calls share one assistant turn), <c>function_call_output</c> and <c>custom_tool_call_output</c>
/// (tool results, named after their call), <c>reasoning</c> (its summary, with our signature when we produced it).
/// Items of hosted tools no backend runs (web search, file search, compaction markers, …) are skipped.
/// </summary>
internal static class ResponsesItemReader
{
    public static List<ChatMessage> ReadItems(JsonElement items)
    {
        var messages = new List<ChatMessage>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var param = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{param} must be an object (an input item).", param, "invalid_type");
            }
            var type = Str(item, "type") ?? (item.TryGetProperty("role", out _) ? "message" : null);
            switch (type)
            {
                case "message":
                    messages.Add(ReadMessage(item, param));
                    break;
                case "function_call" or "custom_tool_call":
                    var call = ReadCall(item, type, param);
                    toolNames[call.Id] = call.Name;
                    AppendToAssistant(messages, call);
                    break;
                case "function_call_output" or "custom_tool_call_output":
                    var callId = Required(item, "call_id", param);
                    var output = ReadOutput(item, param);
                    messages.Add(new ChatMessage(ChatRole.Tool, [new ToolResultPart(callId, toolNames.GetValueOrDefault(callId), output)]));
                    break;
                case "reasoning":
                    if (ReadReasoning(item) is { } reasoning)
                    {
                        messages.Add(new ChatMessage(ChatRole.Assistant, [reasoning]));
                    }
                    break;
                case null:
                    throw Invalid($"{param} needs a 'type' (message, function_call, function_call_output, reasoning, …).", $"{param}.type", "missing_required_parameter");
                default:
                    // web_search_call, local_shell_call, compaction, item_reference, …: nothing a backend here can use.
                    break;
            }
        }
        return MergeAssistantTurns(messages);
    }

    private static ChatMessage ReadMessage(JsonElement item, string param)
    {
        var role = Str(item, "role") switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "system" or "developer" => ChatRole.System,
            null => throw Invalid($"{param}: a message needs a 'role'.", $"{param}.role", "missing_required_parameter"),
            var other => throw Invalid($"{param}: unknown role '{other}' (expected user, assistant, system or developer).", $"{param}.role", "invalid_value"),
        };
        var content = item.TryGetProperty("content", out var c) ? c : default;
        return new ChatMessage(role, ReadContent(content, $"{param}.content", allowImages: role == ChatRole.User));
    }

    /// <summary>Content: a string, or parts (<c>input_text</c>, <c>output_text</c>, <c>refusal</c>, <c>input_image</c>).</summary>
    internal static List<ContentPart> ReadContent(JsonElement content, string param, bool allowImages)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return [];
            case JsonValueKind.String:
                return [new TextPart(content.GetString()!)];
            case JsonValueKind.Array:
                break;
            default:
                throw Invalid($"{param} must be a string or an array of content parts.", param, "invalid_type");
        }
        var parts = new List<ContentPart>();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}[{i++}]";
            switch (part.ValueKind == JsonValueKind.Object ? Str(part, "type") : null)
            {
                case "input_text" or "output_text" or "text" or "summary_text" or "reasoning_text":
                    parts.Add(new TextPart(Str(part, "text") ?? throw Invalid($"{partParam} needs 'text'.", $"{partParam}.text", "missing_required_parameter")));
                    break;
                case "refusal":
                    parts.Add(new TextPart(Str(part, "refusal") ?? ""));
                    break;
                case "input_image" when allowImages:
                    parts.Add(ReadImage(part, partParam));
                    break;
                case "input_image":
                    throw Invalid($"{partParam}: images are only allowed in user messages and tool outputs.", partParam, "invalid_value");
                case var other:
                    throw Invalid($"{partParam}: content part type '{other ?? "(missing)"}' is not supported (use input_text or input_image).",
                        partParam, "unsupported_content");
            }
        }
        return parts;
    }

    private static ImagePart ReadImage(JsonElement part, string param)
    {
        var detail = Str(part, "detail");
        if (Str(part, "image_url") is { Length: > 0 } url)
        {
            return ImagePart.FromUrl(url, detail);
        }
        if (part.TryGetProperty("image_url", out var nested) && Str(nested, "url") is { Length: > 0 } nestedUrl)
        {
            return ImagePart.FromUrl(nestedUrl, detail);
        }
        if (Str(part, "file_id") is not null)
        {
            throw Invalid($"{param}: uploaded files (file_id) are not supported; send the image as a data: URL in image_url.", $"{param}.file_id", "unsupported_content");
        }
        throw Invalid($"{param}: input_image needs 'image_url'.", $"{param}.image_url", "missing_required_parameter");
    }

    private static ToolCallPart ReadCall(JsonElement item, string type, string param)
    {
        var callId = Required(item, "call_id", param);
        var name = Required(item, "name", param);
        if (type == "custom_tool_call")
        {
            // A freeform call's input is text; as a function call it becomes {"input": text}.
            var input = Str(item, "input") ?? "";
            return new ToolCallPart(callId, name, System.Text.Encoding.UTF8.GetString(WireJson.ToBytes(w =>
            {
                w.WriteStartObject();
                w.WriteString("input", input);
                w.WriteEndObject();
            })));
        }
        var arguments = item.TryGetProperty("arguments", out var a) ? a : default;
        return new ToolCallPart(callId, name, arguments.ValueKind switch
        {
            JsonValueKind.String => arguments.GetString()!,
            JsonValueKind.Object => arguments.GetRawText(),
            JsonValueKind.Undefined or JsonValueKind.Null => "{}",
            _ => throw Invalid($"{param}.arguments must be a JSON string.", $"{param}.arguments", "invalid_type"),
        });
    }

    private static List<ContentPart> ReadOutput(JsonElement item, string param)
    {
        var output = item.TryGetProperty("output", out var o) ? o : default;
        return output.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            JsonValueKind.String or JsonValueKind.Array => ReadContent(output, $"{param}.output", allowImages: true),
            // Some clients send structured output; keep it, as JSON text.
            _ => [new TextPart(output.GetRawText())],
        };
    }

    private static ReasoningPart? ReadReasoning(JsonElement item)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in new[] { "summary", "content" })
        {
            if (item.TryGetProperty(name, out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    text.Append(Str(part, "text"));
                }
                if (text.Length > 0)
                {
                    break;
                }
            }
        }
        var signature = ResponsesReasoningSignature.Unwrap(Str(item, "encrypted_content"));
        return text.Length == 0 && signature is null ? null : new ReasoningPart(text.ToString(), signature);
    }

    /// <summary>Calls go into the assistant turn they follow (its text, reasoning or earlier calls), so parallel calls stay one turn.</summary>
    private static void AppendToAssistant(List<ChatMessage> messages, ToolCallPart call)
    {
        if (messages.Count > 0 && messages[^1].Role == ChatRole.Assistant)
        {
            messages[^1] = messages[^1] with { Content = [.. messages[^1].Content, call] };
            return;
        }
        messages.Add(new ChatMessage(ChatRole.Assistant, [call]));
    }

    /// <summary>A reasoning item followed by the message or calls it led to is one assistant turn.</summary>
    private static List<ChatMessage> MergeAssistantTurns(List<ChatMessage> messages)
    {
        var merged = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.Assistant && merged.Count > 0 && merged[^1].Role == ChatRole.Assistant
                && merged[^1].Content.All(p => p is ReasoningPart))
            {
                merged[^1] = merged[^1] with { Content = [.. merged[^1].Content, .. message.Content] };
                continue;
            }
            merged.Add(message);
        }
        return merged;
    }

    private static string Required(JsonElement item, string name, string param) =>
        Str(item, name) is { Length: > 0 } value ? value : throw Invalid($"{param} needs '{name}'.", $"{param}.{name}", "missing_required_parameter");
}
