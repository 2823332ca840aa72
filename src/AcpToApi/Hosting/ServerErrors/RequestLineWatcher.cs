using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AcpToApi.Hosting.ServerErrors;

/// <summary>
/// Passes a connection's input through and notes the path at the start of each request line it sees (only its first
/// segments, which tell the protocol: <c>/v1/messages</c>, <c>/v1beta</c>), so an error Kestrel answers by itself can be
/// shaped for that protocol. A read begins where the previous request was consumed, so that is where a request line starts.
/// </summary>
internal sealed class RequestLineWatcher(PipeReader inner) : PipeReader
{
    private const int PeekBytes = 64;

    public string? LastPath { get; private set; }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken);
        Note(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }
        Note(result.Buffer);
        return true;
    }

    private void Note(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[PeekBytes];
        var length = (int)Math.Min(buffer.Length, PeekBytes);
        buffer.Slice(0, length).CopyTo(start);
        var line = start[..length];
        var space = line.IndexOf((byte)' ');
        if (space is > 0 and < 10 && space + 1 < line.Length && line[space + 1] == (byte)'/')
        {
            var path = line[(space + 1)..];
            var end = path.IndexOfAny((byte)' ', (byte)'?', (byte)'\r');
            LastPath = Encoding.ASCII.GetString(end >= 0 ? path[..end] : path);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
