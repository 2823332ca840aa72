using AcpToApi.Backends;
using AcpToApi.Protocols.Gemini;

namespace AcpToApi.Endpoints;

internal sealed class GeminiErrorRenderer : IErrorRenderer
{
    public static readonly GeminiErrorRenderer Instance = new();

    public byte[] Render(ChatBackendException error) => GeminiErrorWriter.ToBytes(error);
}
