using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.OpenAICompatible;

/// <summary>Any server speaking OpenAI chat completions: streams upstream SSE frame by frame into events.</summary>
public sealed class OpenAICompatibleBackend(HttpClient http, OpenAICompatibleOptions options) : IChatBackend, IBackendProbe, IPassthroughBackend
{
    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => !options.RequiresApiKey || !string.IsNullOrEmpty(options.ApiKey);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, options.DisplayName, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EnsureKey();
        using var message = new HttpRequestMessage(HttpMethod.Post, UpstreamHttp.Combine(options.BaseUrl, "chat/completions"))
        {
            Content = new ByteArrayContent(OpenAIRequestWriter.Write(request, options.UseMaxCompletionTokens)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Authorize(message);

        using var response = await UpstreamHttp.SendAsync(http, message, options.DisplayName, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var chatEvent in OpenAIStreamReader.ReadAsync(body, options.DisplayName, cancellationToken).ConfigureAwait(false))
        {
            yield return chatEvent;
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string relativePath, byte[] jsonBody, CancellationToken cancellationToken)
    {
        EnsureKey();
        using var message = new HttpRequestMessage(HttpMethod.Post, UpstreamHttp.Combine(options.BaseUrl, relativePath))
        {
            Content = new ByteArrayContent(jsonBody),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Authorize(message);
        return await UpstreamHttp.SendAsync(http, message, options.DisplayName, cancellationToken).ConfigureAwait(false);
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
            var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new BackendStatus(true, response.IsSuccessStatusCode, Target, $"GET /models: {(int)response.StatusCode}", latency);
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
            var list = await System.Text.Json.JsonSerializer.DeserializeAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                OpenAIJsonContext.Default.OpenAIModelList,
                cancellationToken).ConfigureAwait(false);
            return list?.Data.Select(m => m.Id).Where(id => id.Length > 0).ToList() ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private async Task<HttpResponseMessage> SendModelsRequestAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, UpstreamHttp.Combine(options.BaseUrl, "models"));
        Authorize(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
    }

    private void EnsureKey()
    {
        if (!IsConfigured)
        {
            throw new ChatBackendException(
                ChatErrorKind.Authentication,
                $"The {options.Prefix}/ backend needs an API key: set the {options.ApiKeyVariable} environment variable and restart acptoapi.")
            {
                Code = "missing_api_key",
            };
        }
    }

    private void Authorize(HttpRequestMessage message)
    {
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }
    }
}
