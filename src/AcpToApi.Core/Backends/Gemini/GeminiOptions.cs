namespace AcpToApi.Backends.Gemini;

internal sealed record GeminiOptions : BackendOptions
{
    /// <summary>Without the version path; <c>/v1beta/models/…</c> is appended.</summary>
    public Uri BaseUrl { get; init; } = new("https://generativelanguage.googleapis.com");

    public string? ApiKey { get; init; }

    /// <summary>The variable the key came from (GEMINI_API_KEY, else GOOGLE_API_KEY), named in errors.</summary>
    public string ApiKeyVariable { get; init; } = "GEMINI_API_KEY";
}
