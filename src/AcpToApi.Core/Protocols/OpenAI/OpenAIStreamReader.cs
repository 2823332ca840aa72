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
internal static class OpenAIStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(
        Stream body,
        string upstreamName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var output = new ChatEventBuilder();
        var state = new OpenAIStreamTranslator(output, upstreamName);
        // Frames are parsed straight from the UTF-8 bytes: no string per frame on the hot path.
        var parser = SseParser.Create(body, static (eventType, data) => OpenAIFrame.Parse(eventType, data));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var frame = item.Data;
            if (frame.Done)
            {
                state.Done = true;
                break;
            }
            if (frame.EventType == "error")
            {
                throw MidStreamError(upstreamName, frame.Chunk?.Error?.Message ?? frame.Raw ?? "unknown error");
            }
            if (frame.Empty)
            {
                continue;
            }
            var chunk = frame.Chunk
                ?? throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed stream frame: {Truncate(frame.Raw ?? "")}");
            if (chunk.Error is { } error)
            {
                throw MidStreamError(upstreamName, error.Message ?? "unknown error");
            }
            state.Translate(chunk);
            foreach (var chatEvent in output.Drain())
            {
                yield return chatEvent;
            }
        }

        state.Finish();
        foreach (var chatEvent in output.Drain())
        {
            yield return chatEvent;
        }
    }

    private static ChatBackendException MidStreamError(string upstreamName, string message) =>
        new(ChatErrorKind.UpstreamError, $"{upstreamName} reported an error mid-stream: {message}");

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
