using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>
/// Client side: turns an upstream chat-completions SSE stream into <see cref="ChatEvent"/>s,
/// one event per upstream delta, as each frame arrives.
/// </summary>
public static class OpenAIStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(
        Stream body,
        string upstreamName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new OpenAIChunkTranslator();
        var parser = SseParser.Create(body);
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data == "[DONE]")
            {
                state.Done = true;
                break;
            }
            if (item.EventType == "error")
            {
                throw MidStreamError(upstreamName, TryParse(item.Data)?.Error?.Message ?? item.Data);
            }
            if (string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }
            var chunk = TryParse(item.Data)
                ?? throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed stream frame: {Truncate(item.Data)}");
            if (chunk.Error is { } error)
            {
                throw MidStreamError(upstreamName, error.Message ?? "unknown error");
            }
            foreach (var chatEvent in state.Translate(chunk))
            {
                yield return chatEvent;
            }
        }

        foreach (var chatEvent in state.Finish(upstreamName))
        {
            yield return chatEvent;
        }
    }

    private static OpenAIChatChunk? TryParse(string data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.OpenAIChatChunk);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ChatBackendException MidStreamError(string upstreamName, string message) =>
        new(ChatErrorKind.UpstreamError, $"{upstreamName} reported an error mid-stream: {message}");

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
