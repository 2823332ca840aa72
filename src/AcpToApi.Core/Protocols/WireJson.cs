using System.Text.Encodings.Web;
using System.Text.Json;

namespace AcpToApi.Protocols;

/// <summary>Writer settings for every wire body: compact, and no needless \u escapes of +, ', &lt; and &gt;.</summary>
internal static class WireJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static Utf8JsonWriter CreateWriter(Stream stream) => new(stream, WriterOptions);

    public static Utf8JsonWriter CreateWriter(System.Buffers.IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <summary>A tool call's arguments as a JSON object property; arguments that are not an object become <c>{}</c>.</summary>
    public static void WriteArgumentsObject(Utf8JsonWriter w, string propertyName, AcpToApi.Conversation.ToolCallPart call)
    {
        w.WritePropertyName(propertyName);
        if (call.ParseArguments() is { ValueKind: System.Text.Json.JsonValueKind.Object } arguments)
        {
            arguments.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    /// <summary>A tool's JSON schema as the value of <paramref name="propertyName"/>; a missing or non-object schema becomes
    /// the empty object schema every upstream accepts.</summary>
    public static void WriteObjectSchema(Utf8JsonWriter w, string propertyName, JsonElement? schema)
    {
        w.WritePropertyName(propertyName);
        if (schema is { ValueKind: JsonValueKind.Object } given)
        {
            given.WriteTo(w);
            return;
        }
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteStartObject("properties");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The <c>messages</c> array as strictly alternating <c>{role, content: [blocks]}</c> turns, the shape Anthropic
    /// Messages and Bedrock Converse share; each protocol writes its own blocks.</summary>
    public static void WriteAlternatingTurns(Utf8JsonWriter w, IReadOnlyList<AcpToApi.Conversation.ChatMessage> messages,
        Action<Utf8JsonWriter, AcpToApi.Conversation.ContentPart> writeBlock)
    {
        w.WriteStartArray("messages");
        foreach (var (role, parts) in AcpToApi.Conversation.ConversationTurns.Alternating(messages))
        {
            w.WriteStartObject();
            w.WriteString("role", role);
            w.WriteStartArray("content");
            foreach (var part in parts)
            {
                writeBlock(w, part);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the UTF-8 bytes.</summary>
    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = CreateWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
