using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Anthropic;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicMessagesRequest))]
[JsonSerializable(typeof(AnthropicCountTokensResponse))]
public sealed partial class AnthropicJsonContext : JsonSerializerContext;
