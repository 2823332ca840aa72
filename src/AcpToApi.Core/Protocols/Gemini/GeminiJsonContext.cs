using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(GeminiGenerateContentRequest))]
[JsonSerializable(typeof(GeminiGenerateContentResponse))]
[JsonSerializable(typeof(GeminiErrorEnvelope))]
[JsonSerializable(typeof(GeminiModelList))]
[JsonSerializable(typeof(GeminiModel))]
[JsonSerializable(typeof(GeminiCountTokensResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
