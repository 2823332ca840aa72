namespace AcpToApi.Protocols.Gemini;

/// <summary>How :streamGenerateContent frames its chunks.</summary>
internal enum GeminiStreamFraming
{
    /// <summary>?alt=sse: text/event-stream, one <c>data: {json}\r\n\r\n</c> per chunk.</summary>
    Sse,

    /// <summary>No alt: application/json, one array whose elements are sent as they are made.</summary>
    JsonArray,
}
