using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Protocols;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>How one client protocol renders an exchange: its stream, its whole response, its errors.</summary>
internal interface IExchangeRenderer
{
    /// <summary>Protocol name for logs and metrics (openai, anthropic, gemini).</summary>
    string Protocol { get; }

    string StreamContentType => "text/event-stream";

    IProtocolStreamWriter CreateStreamWriter();

    void WriteResponse(Utf8JsonWriter writer, ChatResponse response);

    IErrorRenderer Errors { get; }
}

/// <summary>A protocol's error body for a typed failure (the HTTP status comes from the failure's kind).</summary>
internal interface IErrorRenderer
{
    byte[] Render(ChatBackendException error);
}
