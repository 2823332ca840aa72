using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Lenient reads of request fields: a missing or mistyped field is just absent.</summary>
internal static class JsonFields
{
    public static JsonElement? Get(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;

    public static string? GetString(JsonElement? element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool GetBool(JsonElement? element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.True };

    public static IEnumerable<JsonElement> GetArray(JsonElement? element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>Texts of a message content that is a string or an array of <c>{type:"text",text}</c> parts/blocks.</summary>
    public static IReadOnlyList<string> ContentTexts(JsonElement? message)
    {
        if (Get(message, "content") is { ValueKind: JsonValueKind.String } text)
        {
            return [text.GetString() ?? ""];
        }

        return [.. GetArray(message, "content")
            .Where(part => GetString(part, "type") == "text")
            .Select(part => GetString(part, "text"))
            .OfType<string>()];
    }

    /// <summary>Writes a value that should be a JSON object; anything unparsable becomes <c>{}</c>.</summary>
    public static void WriteObjectOrEmpty(Utf8JsonWriter writer, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(writer);
                return;
            }
        }
        catch (JsonException)
        {
            // Scripts may carry malformed arguments on purpose (streamed as-is); here an object is required.
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
