using System.Buffers;
using System.Runtime.CompilerServices;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.EventStreams.Internal;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// Reads <c>application/vnd.amazon.eventstream</c> frames as they arrive, with AWSSDK.Core's decoder
/// (prelude and message CRC32 checked there). Bytes are fed in as read; every message the decoder
/// completes is yielded before the next read.
/// </summary>
internal static class BedrockEventStreamReader
{
    public static async IAsyncEnumerable<BedrockStreamMessage> ReadAsync(Stream body, string upstreamName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoded = new Queue<BedrockStreamMessage>();
        using var decoder = new EventStreamDecoder();
        decoder.MessageReceived += (_, e) => decoded.Enqueue(ToMessage(e.Message));
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                try
                {
                    decoder.ProcessData(buffer, 0, read);
                }
                catch (Exception e) when (e is EventStreamChecksumFailureException or EventStreamParseException or EventStreamValidationException or EventStreamDecoderIllegalStateException)
                {
                    throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed event-stream frame: {e.Message}", e);
                }
                while (decoded.TryDequeue(out var message))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static BedrockStreamMessage ToMessage(EventStreamMessage message)
    {
        string? Header(string name) => message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;
        return new BedrockStreamMessage(Header(":message-type") ?? "event", Header(":event-type"), Header(":exception-type") ?? Header(":error-code"), message.Payload ?? []);
    }
}
