using System.Text.Json;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Gemini's OpenAPI-style schemas name types in upper case ("OBJECT", "STRING"), which JSON Schema
/// consumers such as OpenAI reject; this lower-cases every "type" and leaves everything else as it is.
/// </summary>
internal static class GeminiSchema
{
    public static JsonElement ToJsonSchema(JsonElement schema) =>
        JsonDocument.Parse(WireJson.ToBytes(w => Write(w, schema))).RootElement.Clone();

    private static void Write(Utf8JsonWriter w, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    w.WritePropertyName(property.Name);
                    if (property.Name == "type" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        w.WriteStringValue(property.Value.GetString()!.ToLowerInvariant());
                    }
                    else if (property.Name == "type" && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        w.WriteStartArray();
                        foreach (var type in property.Value.EnumerateArray())
                        {
                            if (type.ValueKind == JsonValueKind.String) w.WriteStringValue(type.GetString()!.ToLowerInvariant());
                            else type.WriteTo(w);
                        }
                        w.WriteEndArray();
                    }
                    else
                    {
                        Write(w, property.Value);
                    }
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(w, item);
                }
                w.WriteEndArray();
                break;
            default:
                element.WriteTo(w);
                break;
        }
    }
}
