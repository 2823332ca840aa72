using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Anthropic;

/// <summary>The Anthropic Messages API, streamed: each upstream delta becomes one event.</summary>
public sealed class AnthropicBackend(HttpClient http, AnthropicOptions options) : IChatBackend, IBackendProbe
{
    private const string Name = "anthropic";

    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => !string.IsNullOrEmpty(options.ApiKey);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, Name, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new ChatBackendException(ChatErrorKind.Authentication,
                $"The anthropic/ backend needs an API key: set the {options.ApiKeyVariable} environment variable and restart acptoapi.")
            {
                Code = "missing_api_key",
            };
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, UpstreamHttp.Combine(options.BaseUrl, "v1/messages"))
        {
            Content = new ByteArrayContent(AnthropicRequestWriter.Write(request)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Authorize(message);

        using var response = await UpstreamHttp.SendAsync(http, message, Name, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, Name, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var chatEvent in AnthropicStreamReader.ReadAsync(body, Name, cancellationToken).ConfigureAwait(false))
        {
            yield return chatEvent;
        }
    }

    public async Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return new BackendStatus(false, false, Target, $"{options.ApiKeyVariable} is not set");
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var response = await SendModelsRequestAsync(cancellationToken).ConfigureAwait(false);
            return new BackendStatus(true, response.IsSuccessStatusCode, Target, $"GET /v1/models: {(int)response.StatusCode}",
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new BackendStatus(true, false, Target, e.Message);
        }
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return [];
        }
        try
        {
            using var response = await SendModelsRequestAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }
            // Anthropic's list has the same {"data":[{"id"}]} shape as OpenAI's.
            var list = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                OpenAIJsonContext.Default.OpenAIModelList, cancellationToken).ConfigureAwait(false);
            return list?.Data.Select(m => m.Id).Where(id => id.Length > 0).ToList() ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    private async Task<HttpResponseMessage> SendModelsRequestAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, UpstreamHttp.Combine(options.BaseUrl, "v1/models"));
        Authorize(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
    }

    private void Authorize(HttpRequestMessage message)
    {
        message.Headers.Add("x-api-key", options.ApiKey);
        message.Headers.Add("anthropic-version", options.Version);
    }
}
