using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>One SSE frame as the client saw it, with the moment it arrived.</summary>
public sealed record SseFrame(string? Event, string Data, DateTimeOffset ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>A raw HTTP client for asserting exact wire behaviour that SDKs hide (reasoning_content, error chunks, [DONE]).</summary>
public static class RawSse
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads frames as they arrive until the stream ends (or <paramref name="stopAfter"/> says stop).</summary>
    public static async Task<List<SseFrame>> ReadFramesAsync(HttpResponseMessage response, CancellationToken cancellationToken, Func<SseFrame, bool>? stopAfter = null)
    {
        var frames = new List<SseFrame>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? eventName = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var frame = new SseFrame(eventName, data.ToString(), DateTimeOffset.UtcNow);
                    frames.Add(frame);
                    if (stopAfter?.Invoke(frame) == true)
                    {
                        break;
                    }
                }
                eventName = null;
                data.Clear();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line[6..].Trim();
            }
        }
        return frames;
    }

    /// <summary>The concatenated delta.content of OpenAI chunks.</summary>
    public static string Content(IEnumerable<SseFrame> frames) => string.Concat(ContentDeltas(frames));

    /// <summary>Each non-empty delta.content of OpenAI chunks, one entry per frame.</summary>
    public static List<string> ContentDeltas(IEnumerable<SseFrame> frames) => [.. frames
        .Where(f => f.Data != "[DONE]" && f.Json.TryGetProperty("choices", out var c) && c.GetArrayLength() > 0)
        .Select(f => f.Json.GetProperty("choices")[0].GetProperty("delta"))
        .Where(d => d.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        .Select(d => d.GetProperty("content").GetString()!)
        .Where(text => text.Length > 0)];

    public static long Timestamp() => Stopwatch.GetTimestamp();
}
