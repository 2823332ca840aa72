using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// Amazon Bedrock Runtime ConverseStream: SigV4-signed POST, binary event-stream answer, one event per
/// upstream delta. Models are not listed: listing is a control-plane call on another host
/// (<c>bedrock.{region}</c>, ListFoundationModels) and most listed models still need access granted.
/// </summary>
internal sealed class BedrockBackend(HttpClient http, BedrockOptions options, TimeProvider? clock = null) : IChatBackend, IBackendProbe
{
    private const string Name = "bedrock";

    public string Target => options.Endpoint?.ToString() ?? "https://bedrock-runtime.{AWS_REGION}.amazonaws.com";

    public bool IsConfigured => options.MissingVariables().Count == 0;

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), options.IdleTimeout, clock ?? TimeProvider.System, Name, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var missing = options.MissingVariables();
        if (missing.Count > 0 || options.Endpoint is not { } endpoint)
        {
            throw new ChatBackendException(ChatErrorKind.Authentication,
                $"The bedrock/ backend needs AWS credentials: set {string.Join(", ", missing)} (and AWS_SESSION_TOKEN for temporary credentials) and restart acptoapi.")
            {
                Code = "missing_api_key",
            };
        }
        var body = BedrockRequestWriter.Write(request);
        using var message = new HttpRequestMessage(HttpMethod.Post,
            UpstreamHttp.Combine(endpoint, "model/" + Uri.EscapeDataString(request.Model) + "/converse-stream"))
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        BedrockRequestSigner.Sign(message, body, options, (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);

        using var response = await UpstreamHttp.SendAsync(http, message, Name, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, Name, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var output = new ChatEventBuilder();
        var state = new BedrockStreamTranslator(output, Name, request.Model);
        await foreach (var frame in BedrockEventStreamReader.ReadAsync(stream, Name, cancellationToken).ConfigureAwait(false))
        {
            state.Translate(frame);
            foreach (var chatEvent in output.Drain())
            {
                yield return chatEvent;
            }
            if (output.Completed)
            {
                yield break;
            }
        }
        state.Finish();
        foreach (var chatEvent in output.Drain())
        {
            yield return chatEvent;
        }
    }

    /// <summary>Unsigned GET of the endpoint root: any HTTP answer proves it reachable; credentials are only checked by a real call.</summary>
    public async Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        var missing = options.MissingVariables();
        if (missing.Count > 0 || options.Endpoint is not { } endpoint)
        {
            return BackendStatus.NotConfigured(Target, $"{string.Join(", ", missing)} not set");
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, endpoint);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return BackendStatus.Reached(Target, $"GET /: {(int)response.StatusCode} (credentials are checked by the first request)",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return BackendStatus.Unreachable(Target, e.Message);
        }
    }

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
}
