using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.OpenAICompatible;

/// <summary>Any server speaking OpenAI chat completions: streams upstream SSE frame by frame into events.</summary>
internal sealed class OpenAICompatibleBackend(HttpClient http, OpenAICompatibleOptions options, TimeProvider? timeProvider = null) : IChatBackend, IBackendProbe, IPassthroughBackend
{
    // Parsed once, not per request.
    private readonly Uri _chatUrl = UpstreamHttp.Combine(options.BaseUrl, "chat/completions");

    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => !options.RequiresApiKey || !string.IsNullOrEmpty(options.ApiKey);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, timeProvider ?? TimeProvider.System, options.DisplayName, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EnsureKey();
        var message = UpstreamHttp.JsonPost(_chatUrl, OpenAIRequestWriter.Write(request, options.UseMaxCompletionTokens), "text/event-stream");
        Authorize(message);
        await foreach (var chatEvent in UpstreamHttp.StreamEventsAsync(http, message, options.DisplayName, (body, ct) => OpenAIStreamReader.ReadAsync(body, options.DisplayName, ct), cancellationToken).ConfigureAwait(false))
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

    public Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ProbeAsync(http, UpstreamHttp.Combine(options.BaseUrl, "models"), Authorize, Target, cancellationToken)
        : Task.FromResult(BackendStatus.NotConfigured(Target, $"{options.ApiKeyVariable} is not set"));

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ListAsync(http, UpstreamHttp.Combine(options.BaseUrl, "models"), Authorize, cancellationToken)
        : Task.FromResult<IReadOnlyList<string>>([]);

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
