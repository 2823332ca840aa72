using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Anthropic;

/// <summary>The Anthropic Messages API, streamed: each upstream delta becomes one event.</summary>
internal sealed class AnthropicBackend(HttpClient http, AnthropicOptions options, TimeProvider? timeProvider = null) : IChatBackend, IBackendProbe
{
    // Parsed once, not per request.
    private readonly Uri _messagesUrl = UpstreamHttp.Combine(options.BaseUrl, "v1/messages");

    private const string Name = "anthropic";

    public string Target => options.BaseUrl.ToString();

    public bool IsConfigured => !string.IsNullOrEmpty(options.ApiKey);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, timeProvider ?? TimeProvider.System, Name, cancellationToken);

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
        var message = UpstreamHttp.JsonPost(_messagesUrl, AnthropicRequestWriter.Write(request), "text/event-stream");
        Authorize(message);
        await foreach (var chatEvent in UpstreamHttp.StreamEventsAsync(http, message, Name, (body, ct) => AnthropicStreamReader.ReadAsync(body, Name, ct), cancellationToken).ConfigureAwait(false))
        {
            yield return chatEvent;
        }
    }

    public Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ProbeAsync(http, UpstreamHttp.Combine(options.BaseUrl, "v1/models"), Authorize, Target, cancellationToken)
        : Task.FromResult(BackendStatus.NotConfigured(Target, $"{options.ApiKeyVariable} is not set"));

    // Anthropic's model list has the same {"data":[{"id"}]} shape as OpenAI's.
    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => IsConfigured
        ? ModelListClient.ListAsync(http, UpstreamHttp.Combine(options.BaseUrl, "v1/models"), Authorize, cancellationToken)
        : Task.FromResult<IReadOnlyList<string>>([]);

    private void Authorize(HttpRequestMessage message)
    {
        message.Headers.Add("x-api-key", options.ApiKey);
        message.Headers.Add("anthropic-version", options.Version);
    }
}
