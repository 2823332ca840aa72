using System.Text.Json;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Writes single parts exactly as Gemini does; shared by the stream and response writers.</summary>
internal static class GeminiPartWriter
{
    /// <summary>A text part; <paramref name="signature"/> is the signature of hidden thinking before it, where Gemini puts it.</summary>
    public static void WriteText(Utf8JsonWriter w, string text, string? signature = null)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        WriteSignature(w, signature);
        w.WriteEndObject();
    }

    public static void WriteThought(Utf8JsonWriter w, string text, string? signature)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteBoolean("thought", true);
        WriteSignature(w, signature);
        w.WriteEndObject();
    }

    /// <summary>A whole function call; args is always a JSON object (Gemini does not stream arguments).</summary>
    public static void WriteFunctionCall(Utf8JsonWriter w, string? id, string name, string argumentsJson, string? signature = null)
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall");
        if (!string.IsNullOrEmpty(id))
        {
            w.WriteString("id", id);
        }
        w.WriteString("name", name);
        w.WritePropertyName("args");
        WriteArguments(w, argumentsJson);
        w.WriteEndObject();
        WriteSignature(w, signature);
        w.WriteEndObject();
    }

    private static void WriteSignature(Utf8JsonWriter w, string? signature)
    {
        if (!string.IsNullOrEmpty(signature))
        {
            w.WriteString("thoughtSignature", signature);
        }
    }

    /// <summary>The model's arguments as an object: empty becomes {}, anything not an object is kept under "value".</summary>
    private static void WriteArguments(Utf8JsonWriter w, string argumentsJson)
    {
        if (string.IsNullOrWhiteSpace(argumentsJson))
        {
            w.WriteStartObject();
            w.WriteEndObject();
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(w);
                return;
            }
            w.WriteStartObject();
            w.WritePropertyName("value");
            document.RootElement.WriteTo(w);
            w.WriteEndObject();
        }
        catch (JsonException)
        {
            w.WriteStartObject();
            w.WriteString("value", argumentsJson);
            w.WriteEndObject();
        }
    }
}
