namespace AcpToApi.Backends.Ollama;

public sealed record OllamaOptions
{
    /// <summary>The server root, without <c>/api</c> (OLLAMA_URL), e.g. <c>http://127.0.0.1:11434</c>.</summary>
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:11434");

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);
}
