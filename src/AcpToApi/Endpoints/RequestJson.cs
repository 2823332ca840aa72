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
        // A large body takes a while to check and parse: off the socket thread (see --inline-io), so other connections go on.
        return buffer.WrittenCount <= InlineParseBytes
            ? Parse(buffer.WrittenSpan, typeInfo)
            : await Task.Run(() => Parse(buffer.WrittenSpan, typeInfo), context.RequestAborted);
    }

    /// <summary>Bodies up to this size are parsed where they were read; larger ones on the thread pool.</summary>
    private const int InlineParseBytes = 64 * 1024;

    /// <summary>Parses a whole body; public for endpoints that already hold it.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (RequestJsonCheck.Find(body, typeInfo.Options) is { } fault)
        {
            throw fault;
        }
        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo)
                ?? throw new ChatBackendException(ChatErrorKind.BadRequest, "The request body must be a JSON object.") { Code = "invalid_json" };
            // A JsonObject reads its properties only when first used: now, so a duplicate key is found here.
            _ = (value as System.Text.Json.Nodes.JsonObject)?.Count;
            return value;
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
        catch (ArgumentException e)
        {
            // A key twice in one object, where the body is kept as a JSON object (passthrough): it cannot be sent on as it came.
            throw new ChatBackendException(ChatErrorKind.BadRequest, "The request body has the same key twice in one object.", e) { Code = "invalid_json" };
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
