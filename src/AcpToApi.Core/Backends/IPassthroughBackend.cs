namespace AcpToApi.Backends;

/// <summary>
/// A backend that can forward non-chat OpenAI-style requests (embeddings, images, moderations, rerank,
/// speech) unchanged apart from the model name, returning the upstream response as it comes.
/// </summary>
internal interface IPassthroughBackend
{
    /// <summary>POSTs <paramref name="jsonBody"/> to <paramref name="relativePath"/> under the backend's base URL, with its credentials.</summary>
    Task<HttpResponseMessage> PostAsync(string relativePath, byte[] jsonBody, CancellationToken cancellationToken);
}
