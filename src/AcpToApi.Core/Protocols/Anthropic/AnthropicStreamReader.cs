using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>
/// Client side: turns an upstream Messages SSE stream into <see cref="ChatEvent"/>s as each event
/// arrives. Upstream block indexes are renumbered so skipped blocks (server tools) leave no gaps.
/// </summary>
internal static class AnthropicStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(Stream body, string upstreamName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var output = new ChatEventBuilder();
        var state = new AnthropicStreamTranslator(output, upstreamName);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }
            JsonElement data;
            try
            {
                using var document = JsonDocument.Parse(item.Data);
                data = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed stream event: {(item.Data.Length > 200 ? item.Data[..200] + "…" : item.Data)}");
            }
            UpstreamFrame.Translate(() => state.Translate(data), upstreamName, item.Data);
            foreach (var chatEvent in output.Drain())
            {
                yield return chatEvent;
            }
            if (output.Completed)
            {
                yield break;
            }
        }
        throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} closed the stream before message_stop.");
    }
}
