using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.Echo;

/// <summary>
/// Builds arguments that fit the tool's JSON schema: every required property gets the echoed text
/// (strings), 0 (numbers), false (booleans), [] or {}; a schema without properties gets {"text": …}.
/// </summary>
internal static class EchoToolArguments
{
    public static string Build(ToolDefinition tool, string text)
    {
        return System.Text.Encoding.UTF8.GetString(AcpToApi.Protocols.WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            var wrote = false;
            if (tool.Parameters is { ValueKind: JsonValueKind.Object } schema
                && schema.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object)
            {
                var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet()
                    : properties.EnumerateObject().Select(p => p.Name).Take(1).ToHashSet();
                foreach (var property in properties.EnumerateObject().Where(p => required.Contains(p.Name)))
                {
                    w.WritePropertyName(property.Name);
                    WriteValue(w, property.Value, text);
                    wrote = true;
                }
            }
            if (!wrote)
            {
                w.WriteString("text", text);
            }
            w.WriteEndObject();
        }));
    }

    private static void WriteValue(Utf8JsonWriter w, JsonElement schema, string text)
    {
        var type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : "string";
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }
        switch (type)
        {
            case "number" or "integer":
                w.WriteNumberValue(0);
                break;
            case "boolean":
                w.WriteBooleanValue(false);
                break;
            case "array":
                w.WriteStartArray();
                w.WriteEndArray();
                break;
            case "object":
                w.WriteStartObject();
                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(text);
                break;
        }
    }
}
