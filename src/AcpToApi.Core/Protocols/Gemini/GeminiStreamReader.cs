using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Client side (for a gemini/ backend): turns an upstream <c>streamGenerateContent?alt=sse</c> stream into
/// <see cref="ChatEvent"/>s as each chunk arrives.
/// </summary>
internal static class GeminiStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(
        Stream body,
        string upstreamName,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        string? callIdPrefix = null)
    {
        var output = new ChatEventBuilder();
        var translator = new GeminiStreamTranslator(output, upstreamName, callIdPrefix ?? "call_" + Guid.NewGuid().ToString("N")[..12] + "_");
        var parser = SseParser.Create(body);
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }
            var chunk = TryParse(item.Data)
                ?? throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed stream frame: {Truncate(item.Data)}");
            if (chunk.Error is { } error)
            {
                throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} reported an error mid-stream: {error.Message ?? error.Status ?? "unknown error"}")
                {
                    UpstreamStatus = error.Code,
                };
            }
            translator.Translate(chunk);
            foreach (var chatEvent in output.Drain())
            {
                yield return chatEvent;
            }
        }
        translator.Finish();
        foreach (var chatEvent in output.Drain())
        {
            yield return chatEvent;
        }
    }

    private static GeminiGenerateContentResponse? TryParse(string data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GeminiGenerateContentResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
