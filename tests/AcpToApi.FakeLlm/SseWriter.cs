using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.FakeLlm;

/// <summary>Writes server-sent events, flushing each frame at once.</summary>
internal sealed class SseWriter(FakeExchange exchange)
{
    private readonly ArrayBufferWriter<byte> buffer = new(1024);

    public async Task StartAsync()
    {
        var response = exchange.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        exchange.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(exchange.Cancellation);
    }

    /// <summary><c>data: {json}</c> frame.</summary>
    public Task WriteDataAsync(Action<Utf8JsonWriter> writeJson) => WriteEventAsync(null, writeJson);

    /// <summary><c>event: name</c> + <c>data: {json}</c> frame (no event line when name is null).</summary>
    public async Task WriteEventAsync(string? eventName, Action<Utf8JsonWriter> writeJson)
    {
        buffer.ResetWrittenCount();
        if (eventName is not null)
        {
            Append("event: " + eventName + "\n");
        }

        Append("data: ");
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writeJson(writer);
        }

        Append("\n\n");
        await FlushAsync();
    }

    /// <summary>A literal frame, such as <c>data: [DONE]</c>.</summary>
    public async Task WriteRawAsync(string frame)
    {
        buffer.ResetWrittenCount();
        Append(frame);
        await FlushAsync();
    }

    private void Append(string text) => buffer.Write(Encoding.UTF8.GetBytes(text));

    private async Task FlushAsync()
    {
        var body = exchange.Http.Response.BodyWriter;
        await body.WriteAsync(buffer.WrittenMemory, exchange.Cancellation);
        await body.FlushAsync(exchange.Cancellation);
        exchange.Cancellation.ThrowIfCancellationRequested();
    }
}
