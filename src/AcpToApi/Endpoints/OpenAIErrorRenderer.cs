using AcpToApi.Backends;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Endpoints;

internal sealed class OpenAIErrorRenderer : IErrorRenderer
{
    public static readonly OpenAIErrorRenderer Instance = new();

    public byte[] Render(ChatBackendException error) => OpenAIErrorWriter.ToBytes(error);
}
