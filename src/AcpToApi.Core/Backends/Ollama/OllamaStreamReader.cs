using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Ollama;

/// <summary>Turns an <c>/api/chat</c> NDJSON body into <see cref="ChatEvent"/>s, one line at a time as it arrives.</summary>
internal static class OllamaStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(Stream body, string upstreamName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var output = new ChatEventBuilder();
        var state = new OllamaStreamTranslator(output, upstreamName);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            JsonElement data;
            try
            {
                using var document = JsonDocument.Parse(line);
                data = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a malformed stream line: {(line.Length > 200 ? line[..200] + "…" : line)}");
            }
            state.Translate(data);
            foreach (var chatEvent in output.Drain())
            {
                yield return chatEvent;
            }
            if (output.Completed)
            {
                yield break;
            }
        }
        throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} closed the stream before its done line.");
    }
}
