using System.Text.Json;

namespace AcpToApi.Protocols.Responses;

/// <summary>What every response object repeats from its request (the SDKs read these fields back).</summary>
internal sealed record ResponsesEcho
{
    public required string Id { get; init; }

    public required string Model { get; init; }

    public long CreatedAt { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string? Instructions { get; init; }

    public string? PreviousResponseId { get; init; }

    public bool Store { get; init; } = true;

    public bool ParallelToolCalls { get; init; } = true;

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxOutputTokens { get; init; }

    public string? ReasoningEffort { get; init; }

    public string? User { get; init; }

    /// <summary>The request's <c>tool_choice</c>, <c>tools</c>, <c>text</c> and <c>metadata</c> as sent (null: defaults).</summary>
    public JsonElement? ToolChoice { get; init; }

    public IReadOnlyList<JsonElement> Tools { get; init; } = [];

    public JsonElement? TextFormat { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static ResponsesEcho From(ResponsesRequest wire, string id, string model) => new()
    {
        Id = id,
        Model = model,
        Instructions = wire.Instructions,
        PreviousResponseId = wire.PreviousResponseId,
        Store = wire.Store ?? true,
        ParallelToolCalls = wire.ParallelToolCalls ?? true,
        Temperature = wire.Temperature,
        TopP = wire.TopP,
        MaxOutputTokens = wire.MaxOutputTokens,
        ReasoningEffort = wire.Reasoning?.Effort,
        User = wire.User,
        ToolChoice = wire.ToolChoice,
        Tools = wire.Tools ?? [],
        TextFormat = wire.Text?.Format,
        Metadata = wire.Metadata,
    };

    public static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");
}
