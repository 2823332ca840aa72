using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends;

/// <summary>Shared upstream HTTP discipline: streaming sends, honest error mapping, Retry-After kept.</summary>
internal static class UpstreamHttp
{
    private const int MaxErrorBodyBytes = 16 * 1024;

    public static Uri Combine(Uri baseUrl, string relative)
    {
        var text = baseUrl.ToString();
        return new Uri(text.EndsWith('/') ? text + relative : text + "/" + relative);
    }

    /// <summary>A JSON POST that asks for a stream in <paramref name="accept"/>.</summary>
    public static HttpRequestMessage JsonPost(Uri url, byte[] body, string accept)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return message;
    }

    /// <summary>
    /// The common shape of a streaming API call: send (connection failures are 503), map a failed status to
    /// its typed error, then hand the body to the protocol's reader and pass its events on as they come.
    /// </summary>
    public static async IAsyncEnumerable<ChatEvent> StreamEventsAsync(
        HttpClient http,
        HttpRequestMessage message,
        string upstreamName,
        Func<Stream, CancellationToken, IAsyncEnumerable<ChatEvent>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (message)
        {
            using var response = await SendAsync(http, message, upstreamName, cancellationToken).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, upstreamName, cancellationToken).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var chatEvent in read(body, cancellationToken).ConfigureAwait(false))
            {
                yield return chatEvent;
            }
        }
    }

    /// <summary>Sends with headers-only completion so the body can be streamed; connection failures become 503.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage message, string upstreamName, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ChatBackendException(
                ChatErrorKind.Unavailable,
                $"{upstreamName} is unreachable at {message.RequestUri?.GetLeftPart(UriPartial.Authority)}: {e.Message}",
                e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Nobody cancelled: the handler gave up connecting (ConnectTimeout). Unreachable, not an internal error.
            throw new ChatBackendException(
                ChatErrorKind.Unavailable,
                $"{upstreamName} did not accept a connection at {message.RequestUri?.GetLeftPart(UriPartial.Authority)}: {e.Message}",
                e);
        }
    }

    /// <summary>Maps a non-success upstream response to a typed error carrying its status, message and Retry-After.</summary>
    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string upstreamName, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = (int)response.StatusCode;
        var body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        var detail = ExtractMessage(body) ?? (body.Length > 0 ? body : response.ReasonPhrase ?? "no details");
        throw new ChatBackendException(ChatBackendException.KindFromStatus(status), $"{upstreamName} returned HTTP {status}: {detail}")
        {
            UpstreamStatus = status,
            RetryAfter = RetryAfter(response),
        };
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
            return System.Text.Encoding.UTF8.GetString(buffer, 0, total).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }

    /// <summary>Finds the message in the error shapes of OpenAI, Anthropic and Gemini.</summary>
    private static string? ExtractMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }
            return root.TryGetProperty("message", out var top) && top.ValueKind == JsonValueKind.String ? top.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
