namespace AcpToApi.Backends.Ollama;

internal sealed record OllamaOptions : BackendOptions
{
    /// <summary>Five minutes of silence by default, not two: Ollama loads a model on its first request, which can take minutes.</summary>
    public OllamaOptions() => IdleTimeoutSeconds = 300;

    /// <summary>The server root, without <c>/api</c> (OLLAMA_URL), e.g. <c>http://127.0.0.1:11434</c>.</summary>
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:11434");
}
