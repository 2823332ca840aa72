using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Ollama;

/// <summary>Turns an <c>/api/chat</c> NDJSON body into <see cref="ChatEvent"/>s, one line at a time as it arrives.</summary>
public static class OllamaStreamReader
{
    public static async IAsyncEnumerable<ChatEvent> ReadAsync(Stream body, string upstreamName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new OllamaStreamState(upstreamName);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var first = true;
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
            foreach (var chatEvent in state.Translate(data, first))
            {
                yield return chatEvent;
            }
            first = false;
            if (state.Completed)
            {
                yield break;
            }
        }
        throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} closed the stream before its done line.");
    }
}
