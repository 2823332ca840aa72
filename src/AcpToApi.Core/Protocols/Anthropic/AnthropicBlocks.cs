using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>Reads Anthropic content blocks into neutral parts.</summary>
internal static class AnthropicBlocks
{
    public static string? TypeOf(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    public static bool TryGetString(JsonElement block, string name, out string value)
    {
        if (block.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>One block; null for blocks that carry nothing another backend could use (redacted thinking).</summary>
    public static ContentPart? Read(JsonElement block, string path, ChatRole role, Dictionary<string, string> toolNames)
    {
        var type = TypeOf(block);
        switch (type)
        {
            case "text" when TryGetString(block, "text", out var text):
                return new TextPart(text);
            case "image" when role == ChatRole.System:
                throw AnthropicRequestReader.Invalid($"{path}: system messages can only hold text.", path);
            case "image":
                return ReadImage(block, path);
            case "thinking" when role == ChatRole.Assistant && TryGetString(block, "thinking", out var thinking):
                return new ReasoningPart(thinking, TryGetString(block, "signature", out var signature) ? signature : null);
            case "redacted_thinking" when role == ChatRole.Assistant:
                return null;
            case "tool_use" when role == ChatRole.Assistant:
                return ReadToolUse(block, path, toolNames);
            case "tool_result" when role == ChatRole.User:
                return ReadToolResult(block, path, toolNames);
            default:
                throw AnthropicRequestReader.Invalid(
                    $"{path}: content block type '{type ?? "(missing)"}' is not supported in a {role} message "
                    + "(supported: text, image, tool_result in user messages; text, thinking, tool_use in assistant messages).",
                    path);
        }
    }

    private static ImagePart ReadImage(JsonElement block, string path)
    {
        if (block.TryGetProperty("source", out var source) && TypeOf(source) is { } kind)
        {
            if (kind == "base64" && TryGetString(source, "media_type", out var mediaType) && TryGetString(source, "data", out var data))
            {
                return new ImagePart(null, mediaType, data);
            }
            if (kind == "url" && TryGetString(source, "url", out var url))
            {
                return ImagePart.FromUrl(url);
            }
        }
        throw AnthropicRequestReader.Invalid($"{path}.source: an image needs {{\"type\":\"base64\",\"media_type\",\"data\"}} or {{\"type\":\"url\",\"url\"}}.", $"{path}.source");
    }

    private static ToolCallPart ReadToolUse(JsonElement block, string path, Dictionary<string, string> toolNames)
    {
        if (!TryGetString(block, "id", out var id) || !TryGetString(block, "name", out var name))
        {
            throw AnthropicRequestReader.Invalid($"{path}: tool_use needs id and name.", path);
        }
        var input = block.TryGetProperty("input", out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : "{}";
        toolNames[id] = name;
        return new ToolCallPart(id, name, input);
    }

    private static ToolResultPart ReadToolResult(JsonElement block, string path, Dictionary<string, string> toolNames)
    {
        if (!TryGetString(block, "tool_use_id", out var id))
        {
            throw AnthropicRequestReader.Invalid($"{path}.tool_use_id: Field required.", $"{path}.tool_use_id");
        }
        var content = new List<ContentPart>();
        if (block.TryGetProperty("content", out var inner))
        {
            if (inner.ValueKind == JsonValueKind.String)
            {
                content.Add(new TextPart(inner.GetString()!));
            }
            else if (inner.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var part in inner.EnumerateArray())
                {
                    var partPath = $"{path}.content.{i++}";
                    content.Add(TypeOf(part) switch
                    {
                        "text" when TryGetString(part, "text", out var text) => new TextPart(text),
                        "image" => ReadImage(part, partPath),
                        var other => throw AnthropicRequestReader.Invalid($"{partPath}: '{other}' blocks are not supported inside tool_result (use text or image).", partPath),
                    });
                }
            }
        }
        var isError = block.TryGetProperty("is_error", out var error) && error.ValueKind == JsonValueKind.True;
        toolNames.TryGetValue(id, out var name);
        return new ToolResultPart(id, name, content, isError);
    }
}
