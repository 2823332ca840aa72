using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>
/// The JSON form of <see cref="FakeScript"/>. A separate type because source-generated deserialization
/// resets missing init-only properties to default instead of keeping their initialisers.
/// </summary>
internal sealed class FakeScriptJson
{
    public List<string>? Tokens { get; set; }

    public List<string>? Reasoning { get; set; }

    public string? Signature { get; set; }

    public List<FakeToolCallJson>? ToolCalls { get; set; }

    public bool? AnnounceToolCallsFirst { get; set; }

    public int? DelayMs { get; set; }

    public int? Status { get; set; }

    public string? ErrorMessage { get; set; }

    public int? RetryAfterSeconds { get; set; }

    public int? HoldAfterTokens { get; set; }

    public int? StallAfterTokens { get; set; }

    public int? ErrorAfterTokens { get; set; }

    public int? MalformedAfterTokens { get; set; }

    public int? AbortAfterTokens { get; set; }

    public string? FinishReason { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? CacheReadTokens { get; set; }

    public int? CacheWriteTokens { get; set; }

    public static FakeScript Read(ref Utf8JsonReader reader) =>
        (JsonSerializer.Deserialize(ref reader, FakeJsonContext.Default.FakeScriptJson) ?? new FakeScriptJson()).ToScript();

    public static async Task<FakeScript> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        (await JsonSerializer.DeserializeAsync(stream, FakeJsonContext.Default.FakeScriptJson, cancellationToken) ?? new FakeScriptJson()).ToScript();

    private FakeScript ToScript()
    {
        var defaults = new FakeScript();
        return new FakeScript
        {
            Tokens = Tokens ?? defaults.Tokens,
            Reasoning = Reasoning ?? defaults.Reasoning,
            Signature = Signature ?? defaults.Signature,
            ToolCalls = ToolCalls?.Select(call => call.ToToolCall()).ToList() ?? defaults.ToolCalls,
            AnnounceToolCallsFirst = AnnounceToolCallsFirst ?? false,
            DelayMs = DelayMs ?? defaults.DelayMs,
            Status = Status,
            ErrorMessage = ErrorMessage ?? defaults.ErrorMessage,
            RetryAfterSeconds = RetryAfterSeconds,
            HoldAfterTokens = HoldAfterTokens,
            StallAfterTokens = StallAfterTokens,
            ErrorAfterTokens = ErrorAfterTokens,
            MalformedAfterTokens = MalformedAfterTokens,
            AbortAfterTokens = AbortAfterTokens,
            FinishReason = FinishReason,
            InputTokens = InputTokens ?? defaults.InputTokens,
            OutputTokens = OutputTokens ?? defaults.OutputTokens,
            CacheReadTokens = CacheReadTokens,
            CacheWriteTokens = CacheWriteTokens,
        };
    }
}
