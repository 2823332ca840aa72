using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.Gemini;

/// <summary>{"functionDeclarations":[…]}; other tool kinds (googleSearch, codeExecution…) land in Extra.</summary>
internal sealed class GeminiTool
{
    [JsonPropertyName("functionDeclarations")] public List<GeminiFunctionDeclaration>? FunctionDeclarations { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiFunctionDeclaration
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    /// <summary>OpenAPI-style schema (types may be upper case).</summary>
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; set; }
    /// <summary>Standard JSON Schema.</summary>
    [JsonPropertyName("parametersJsonSchema")] public JsonElement? ParametersJsonSchema { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiToolConfig
{
    [JsonPropertyName("functionCallingConfig")] public GeminiFunctionCallingConfig? FunctionCallingConfig { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class GeminiFunctionCallingConfig
{
    /// <summary>AUTO | ANY | NONE | VALIDATED.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    [JsonPropertyName("allowedFunctionNames")] public List<string>? AllowedFunctionNames { get; set; }
}
