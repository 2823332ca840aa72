using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AcpToApi.Backends;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.Endpoints;

/// <summary>
/// Reads a JSON request body: an oversized body is a 413, text that is not JSON a 400 with its position, and JSON with a
/// field of the wrong type a 400 naming that field. The body is read whole first, so the two faults are told apart by
/// checking the syntax, not by reading the serializer's (English, type-name-laden) message.
/// </summary>
internal static class RequestJson
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo) where T : class
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            // The unread body stays on the connection, so tell the client not to reuse it.
            context.Response.Headers.Connection = "close";
            throw TooLarge(max);
        }
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(context.Request.ContentLength ?? 4096, 256, 1 << 20));
        try
        {
            await context.Request.Body.CopyToAsync(new BufferWriterStream(buffer), context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Headers.Connection = "close";
            throw TooLarge(limit ?? 0);
        }
        return Parse(buffer.WrittenSpan, typeInfo);
    }

    /// <summary>Parses a whole body; public for endpoints that already hold it.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (SyntaxError(body, typeInfo.Options) is { } syntax)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest, $"The request body is not valid JSON: {syntax}.") { Code = "invalid_json" };
        }
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                ?? throw new ChatBackendException(ChatErrorKind.BadRequest, "The request body must be a JSON object.") { Code = "invalid_json" };
        }
        catch (JsonException e)
        {
            // The syntax is fine, so the serializer objected to a value: the path names the field.
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
            throw new ChatBackendException(ChatErrorKind.BadRequest, field is null
                ? "The request body must be a JSON object."
                : $"The field '{field}' has a value of the wrong type (or out of range) for this endpoint.", e)
            {
                Code = "invalid_json",
                Param = field,
            };
        }
    }

    /// <summary>Where the body stops being JSON (line and byte), or null when it is well formed.</summary>
    private static string? SyntaxError(ReadOnlySpan<byte> body, JsonSerializerOptions options)
    {
        if (body.IsEmpty)
        {
            return "the body is empty";
        }
        // The same reader settings the serializer will use, so only real syntax errors are caught here.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            CommentHandling = options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
            MaxDepth = options.MaxDepth,
        });
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
        }
    }

    private static ChatBackendException TooLarge(long limit) =>
        new(ChatErrorKind.RequestTooLarge, $"The request body is larger than the server's limit of {limit} bytes (see --max-body-bytes).")
        {
            Code = "request_too_large",
        };

    /// <summary>A write-only stream over a buffer writer, so the body is copied once into one growing buffer.</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            output.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            output.Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
