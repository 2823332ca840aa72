using System.Diagnostics;
using System.Text.Json;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Backends;

/// <summary>
/// The cheap probe shared by API backends: <c>GET …/models</c> (the <c>{"data":[{"id"}]}</c> shape of OpenAI
/// and Anthropic) with a short timeout. It lists models; it never starts a completion.
/// </summary>
internal static class ModelListClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<BackendStatus> ProbeAsync(HttpClient http, Uri url, Action<HttpRequestMessage> authorize, string target, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await SendAsync(http, url, authorize, cancellationToken).ConfigureAwait(false);
            return BackendStatus.Answered(response.IsSuccessStatusCode, target, $"GET {url.AbsolutePath}: {(int)response.StatusCode}",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return BackendStatus.Unreachable(target, e.Message);
        }
    }

    public static Task<IReadOnlyList<string>> ListAsync(HttpClient http, Uri url, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken) =>
        ListAsync(http, url, authorize, ReadOpenAIShapeAsync, cancellationToken);

    /// <summary>Lists with a provider-specific parser of the response body.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(HttpClient http, Uri url, Action<HttpRequestMessage> authorize,
        Func<Stream, CancellationToken, Task<IReadOnlyList<string>>> parse, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(http, url, authorize, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await parse(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    private static async Task<IReadOnlyList<string>> ReadOpenAIShapeAsync(Stream body, CancellationToken cancellationToken)
    {
        var list = await JsonSerializer.DeserializeAsync(body, OpenAIJsonContext.Default.OpenAIModelList, cancellationToken).ConfigureAwait(false);
        return list?.Data.Select(m => m.Id).Where(id => id.Length > 0).ToList() ?? [];
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri url, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        authorize(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
    }
}
