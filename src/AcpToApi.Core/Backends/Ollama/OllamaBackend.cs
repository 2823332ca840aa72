using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Ollama;

/// <summary>A local or remote Ollama server's <c>/api/chat</c>, streamed as NDJSON. No key: configured by its URL alone.</summary>
internal sealed class OllamaBackend(HttpClient http, OllamaOptions options, TimeProvider? timeProvider = null) : IChatBackend, IBackendProbe
{
    // Parsed once, not per request.
    private readonly Uri _chatUrl = UpstreamHttp.Combine(options.BaseUrl, "api/chat");

    private const string Name = "ollama";

    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => true;

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, timeProvider ?? TimeProvider.System, Name, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var message = UpstreamHttp.JsonPost(_chatUrl, OllamaRequestWriter.Write(request), "application/x-ndjson");
        await foreach (var chatEvent in UpstreamHttp.StreamEventsAsync(http, message, Name, (body, ct) => OllamaStreamReader.ReadAsync(body, Name, ct), cancellationToken).ConfigureAwait(false))
        {
            yield return chatEvent;
        }
    }

    public async Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await GetAsync("api/version", cancellationToken).ConfigureAwait(false);
            var detail = $"GET /api/version: {(int)response.StatusCode}";
            if (response.IsSuccessStatusCode)
            {
                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                    default, cancellationToken).ConfigureAwait(false);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out var version))
                {
                    detail = $"Ollama {(version.ValueKind == JsonValueKind.String ? version.GetString() : version.GetRawText())}";
                }
            }
            return BackendStatus.Answered(response.IsSuccessStatusCode, Target, detail, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return BackendStatus.Unreachable(Target, e.Message);
        }
    }

    /// <summary>The pulled models from <c>GET /api/tags</c>, by their <c>name</c> (e.g. <c>llama3.2:latest</c>).</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await GetAsync("api/tags", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                default, cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            return models.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null)
                .OfType<string>()
                .Where(name => name.Length > 0)
                .ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, UpstreamHttp.Combine(options.BaseUrl, path));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
    }
}
