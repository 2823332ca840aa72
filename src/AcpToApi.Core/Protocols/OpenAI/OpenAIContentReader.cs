using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Reads OpenAI message content: a string, null, or an array of text/image_url parts.</summary>
internal static class OpenAIContentReader
{
    public static List<ContentPart> Read(JsonElement? content, string param, bool allowImages)
    {
        if (content is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            return [new TextPart(element.GetString()!)];
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIRequestReader.Invalid($"{param}.content must be a string or an array of content parts.", $"{param}.content", "invalid_type");
        }

        var parts = new List<ContentPart>();
        var i = 0;
        foreach (var part in element.EnumerateArray())
        {
            parts.Add(ReadPart(part, $"{param}.content[{i++}]", allowImages));
        }
        return parts;
    }

    private static ContentPart ReadPart(JsonElement part, string param, bool allowImages)
    {
        var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        switch (type)
        {
            case "text" when part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String:
                return new TextPart(text.GetString()!);
            case "image_url" when allowImages && TryReadImage(part, out var image):
                return image;
            case "image_url" when !allowImages:
                throw OpenAIRequestReader.Invalid($"{param}: image parts are only allowed in user and tool messages.", param, "invalid_value");
            case "text" or "image_url":
                throw OpenAIRequestReader.Invalid($"{param}: malformed '{type}' part.", param, "invalid_value");
            default:
                throw OpenAIRequestReader.Invalid($"{param}: content part type '{type ?? "(missing)"}' is not supported (use text or image_url).", param, "unsupported_content");
        }
    }

    private static bool TryReadImage(JsonElement part, out ImagePart image)
    {
        image = null!;
        if (!part.TryGetProperty("image_url", out var imageUrl))
        {
            return false;
        }
        string? url = null;
        string? detail = null;
        if (imageUrl.ValueKind == JsonValueKind.String)
        {
            url = imageUrl.GetString();
        }
        else if (imageUrl.ValueKind == JsonValueKind.Object && imageUrl.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String)
        {
            url = u.GetString();
            detail = imageUrl.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        }
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }
        image = ImagePart.FromUrl(url, detail);
        return true;
    }
}
