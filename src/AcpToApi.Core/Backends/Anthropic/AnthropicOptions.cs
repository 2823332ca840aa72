namespace AcpToApi.Backends.Anthropic;

internal sealed record AnthropicOptions : BackendOptions
{
    /// <summary>Without <c>/v1</c>, as the Anthropic SDKs and Claude Code read ANTHROPIC_BASE_URL.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.anthropic.com");

    public string? ApiKey { get; init; }

    public string ApiKeyVariable { get; init; } = "ANTHROPIC_API_KEY";

    public string Version { get; init; } = "2023-06-01";
}
