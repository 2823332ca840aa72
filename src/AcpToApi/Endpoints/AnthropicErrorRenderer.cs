using AcpToApi.Backends;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Endpoints;

internal sealed class AnthropicErrorRenderer : IErrorRenderer
{
    public static readonly AnthropicErrorRenderer Instance = new();

    public byte[] Render(ChatBackendException error) => AnthropicErrorWriter.ToBytes(error);
}
