namespace AcpToApi.Backends.Ollama;

public sealed record OllamaOptions
{
    /// <summary>The server root, without <c>/api</c>, as the Ollama CLI reads OLLAMA_HOST / OLLAMA_URL.</summary>
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:11434");

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);
}
