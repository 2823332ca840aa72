using System.Text;
using AcpToApi.Backends;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Tests.Protocols.Anthropic;

public sealed class AnthropicStreamReaderTests
{
    private const string MessageStart =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n";

    [Theory]
    [InlineData("""{"type":"content_block_start"}""")]
    [InlineData("""{"type":"content_block_delta","index":"zero","delta":{"type":"text_delta","text":"a"}}""")]
    public async Task AnEventOfTheWrongShapeIsTheUpstreamsFailure(string data)
    {
        var body = new MemoryStream(Encoding.UTF8.GetBytes(MessageStart + "event: x\ndata: " + data + "\n\n"));

        var error = await Assert.ThrowsAsync<ChatBackendException>(async () =>
        {
            await foreach (var _ in AnthropicStreamReader.ReadAsync(body, "fake", TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ChatErrorKind.UpstreamError, error.Kind);
        Assert.Contains("wrong shape", error.Message, StringComparison.Ordinal);
    }
}
