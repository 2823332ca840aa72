using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Anthropic;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicMessagesRequest))]
[JsonSerializable(typeof(AnthropicCountTokensResponse))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
