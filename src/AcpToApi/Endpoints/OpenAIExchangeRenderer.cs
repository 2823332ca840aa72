using System.Text.Json;
using AcpToApi.Protocols;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>Renders an exchange as OpenAI chat completions; the id, created and model are shared by every chunk.</summary>
internal sealed class OpenAIExchangeRenderer(string clientModel, bool includeUsage) : IExchangeRenderer
{
    private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string Protocol => "openai";

    public IErrorRenderer Errors => OpenAIErrorRenderer.Instance;

    public IProtocolStreamWriter CreateStreamWriter() => new OpenAIStreamWriter(_id, _created, clientModel, includeUsage);

    public void WriteResponse(Utf8JsonWriter writer, ChatResponse response) =>
        OpenAIResponseWriter.Write(writer, response, _id, _created, clientModel);
}
