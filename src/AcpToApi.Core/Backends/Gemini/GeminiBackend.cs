using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Gemini;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Gemini;

/// <summary>The Gemini API: <c>streamGenerateContent?alt=sse</c>, each upstream chunk becoming events as it arrives.</summary>
internal sealed class GeminiBackend(HttpClient http, GeminiOptions options, TimeProvider? timeProvider = null) : IChatBackend, IBackendProbe
{
    private const string Name = "gemini";

    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => !string.IsNullOrEmpty(options.ApiKey);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, timeProvider ?? TimeProvider.System, Name, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new ChatBackendException(ChatErrorKind.Authentication,
                "The gemini/ backend needs an API key: set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable and restart acptoapi.")
            {
                Code = "missing_api_key",
            };
        }
        var model = Uri.EscapeDataString(request.Model.StartsWith("models/", StringComparison.Ordinal) ? request.Model["models/".Length..] : request.Model);
        var message = UpstreamHttp.JsonPost(UpstreamHttp.Combine(options.BaseUrl, $"v1beta/models/{model}:streamGenerateContent?alt=sse"), GeminiRequestWriter.Write(request), "text/event-stream");
        Authorize(message);
        await foreach (var chatEvent in UpstreamHttp.StreamEventsAsync(http, message, Name, (body, ct) => GeminiStreamReader.ReadAsync(body, Name, ct), cancellationToken).ConfigureAwait(false))
        {
            yield return chatEvent;
        }
    }

    public Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ProbeAsync(http, UpstreamHttp.Combine(options.BaseUrl, "v1beta/models"), Authorize, Target, cancellationToken)
        : Task.FromResult(BackendStatus.NotConfigured(Target, "GEMINI_API_KEY (or GOOGLE_API_KEY) is not set"));

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ListAsync(http, UpstreamHttp.Combine(options.BaseUrl, "v1beta/models"), Authorize, ReadModelNamesAsync, cancellationToken)
        : Task.FromResult<IReadOnlyList<string>>([]);

    private static async Task<IReadOnlyList<string>> ReadModelNamesAsync(Stream body, CancellationToken cancellationToken)
    {
        var list = await JsonSerializer.DeserializeAsync(body, GeminiJsonContext.Default.GeminiModelList, cancellationToken).ConfigureAwait(false);
        return list?.Models.Select(m => m.Name.StartsWith("models/", StringComparison.Ordinal) ? m.Name["models/".Length..] : m.Name)
            .Where(n => n.Length > 0).ToList() ?? [];
    }

    // The key travels in a header, not in ?key=, so it never lands in upstream access logs.
    private void Authorize(HttpRequestMessage message) => message.Headers.Add("x-goog-api-key", options.ApiKey);
}
