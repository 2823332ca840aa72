using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AcpToApi.Hosting.ServerErrors;

/// <summary>
/// Passes a connection's output through; a write that is a whole bodiless error response closing the connection
/// (<c>HTTP/1.1 400|408|414|431</c>, <c>Content-Length: 0</c>, <c>Connection: close</c>: only Kestrel's own rejections
/// look like that, the app's errors always carry a body) is replaced by the same response with a JSON body.
/// </summary>
internal sealed class ErrorResponseRewriter(PipeWriter inner, Func<int, byte[]> body) : PipeWriter
{
    private static readonly byte[] EmptyBody = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] Closing = "\r\nConnection: close\r\n"u8.ToArray();
    private static readonly byte[] HeadersEnd = "\r\n\r\n"u8.ToArray();

    private Memory<byte> _lent;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _lent.Length && RejectionStatus(_lent.Span[..bytes]) is { } status)
        {
            var original = _lent.Span[..bytes].ToArray();
            var json = body(status);
            var headers = Encoding.ASCII.GetString(original, 0, original.Length - 2)
                .Replace("\r\nContent-Length: 0\r\n", $"\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n", StringComparison.Ordinal);
            inner.Write(Encoding.ASCII.GetBytes(headers + "\r\n"));
            inner.Write(json);
            return;
        }
        inner.Advance(bytes);
    }

    private static int? RejectionStatus(ReadOnlySpan<byte> written)
    {
        if (written.Length < 24 || written.Length > 1024 || !written.StartsWith("HTTP/1.1 4"u8) || !written.EndsWith(HeadersEnd)
            || written.IndexOf(EmptyBody) < 0 || written.IndexOf(Closing) < 0)
        {
            return null;
        }
        var status = (written[9] - '0') * 100 + (written[10] - '0') * 10 + (written[11] - '0');
        return status is 400 or 408 or 414 or 431 ? status : null;
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}
