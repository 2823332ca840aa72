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
