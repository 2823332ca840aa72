using System.Text.Json;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Gemini;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>Renders an exchange as Gemini generateContent; modelVersion is the model id from the URL.</summary>
internal sealed class GeminiExchangeRenderer(string clientModel, GeminiStreamFraming framing, bool includeThoughts) : IExchangeRenderer
{
    private readonly string _responseId = Guid.NewGuid().ToString("N")[..22];

    public string Protocol => "gemini";

    public string StreamContentType => framing == GeminiStreamFraming.Sse ? "text/event-stream" : "application/json; charset=UTF-8";

    public IErrorRenderer Errors => GeminiErrorRenderer.Instance;

    public IProtocolStreamWriter CreateStreamWriter() => new GeminiStreamWriter(_responseId, clientModel, framing, includeThoughts);

    public void WriteResponse(Utf8JsonWriter writer, ChatResponse response) =>
        GeminiResponseWriter.Write(writer, response, _responseId, clientModel, includeThoughts);
}
