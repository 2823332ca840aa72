using System.Text.Json;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>Renders an exchange as Anthropic Messages; the model echoed is the id the client sent.</summary>
internal sealed class AnthropicExchangeRenderer(string clientModel) : IExchangeRenderer
{
    private readonly string _id = "msg_" + Guid.NewGuid().ToString("N")[..24];

    public string Protocol => "anthropic";

    public IErrorRenderer Errors => AnthropicErrorRenderer.Instance;

    public IProtocolStreamWriter CreateStreamWriter() => new AnthropicStreamWriter(_id, clientModel);

    public void WriteResponse(Utf8JsonWriter writer, ChatResponse response) =>
        AnthropicResponseWriter.Write(writer, response, _id, clientModel);
}
