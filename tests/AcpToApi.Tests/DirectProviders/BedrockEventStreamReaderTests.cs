using System.Text;
using AcpToApi.Backends;
using AcpToApi.Backends.Bedrock;
using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>The gateway's event-stream reading (AWSSDK.Core's decoder) against frames from the fake's independent encoder.</summary>
public sealed class BedrockEventStreamReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Event(string type, string json) =>
        EventStreamFrame.Encode([(":event-type", type), (":content-type", "application/json"), (":message-type", "event")], Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task FramesSplitAcrossReadsAreYieldedWhole()
    {
        var bytes = Event("messageStart", """{"role":"assistant"}""").Concat(Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""")).ToArray();
        await using var body = new OneByteStream(bytes);

        var messages = new List<BedrockStreamMessage>();
        await foreach (var message in BedrockEventStreamReader.ReadAsync(body, "bedrock", Ct))
        {
            messages.Add(message);
        }

        Assert.Equal(["messageStart", "contentBlockDelta"], messages.Select(m => m.EventType));
        Assert.All(messages, m => Assert.Equal("event", m.MessageType));
        Assert.Equal("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""", Encoding.UTF8.GetString(messages[1].Payload));
    }

    [Fact]
    public async Task ACorruptedFrameIsAnUpstreamError()
    {
        var bytes = Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        bytes[^6] ^= 0x20; // flips a payload bit: the message CRC no longer matches
        await using var body = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<ChatBackendException>(async () =>
        {
            await foreach (var _ in BedrockEventStreamReader.ReadAsync(body, "bedrock", Ct))
            {
            }
        });

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("malformed event-stream frame", error.Message);
    }

    [Fact]
    public void TheFakeEncoderUsesTheStandardCrc32()
    {
        Assert.Equal(0xCBF43926u, EventStreamFrame.Crc32("123456789"u8));
    }

    /// <summary>Hands out one byte per read, the worst case for a frame decoder.</summary>
    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
