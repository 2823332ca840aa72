using System.Text.Json.Serialization;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>GET /v1/models: {"object":"list","data":[{"id","object":"model","created","owned_by"}]}.</summary>
internal sealed class OpenAIModelList
{
    [JsonPropertyName("object")] public string Object { get; set; } = "list";
    [JsonPropertyName("data")] public List<OpenAIModel> Data { get; set; } = [];
}

internal sealed class OpenAIModel
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("object")] public string Object { get; set; } = "model";
    [JsonPropertyName("created")] public long Created { get; set; }
    [JsonPropertyName("owned_by")] public string OwnedBy { get; set; } = "";
}
