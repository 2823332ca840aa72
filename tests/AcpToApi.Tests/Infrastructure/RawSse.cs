using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>One SSE frame as the client saw it.</summary>
public sealed record SseFrame(string? Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>Reads a response's SSE frames one at a time, as they arrive; comments (keep-alives) are skipped.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public static async Task<SseReader> OpenAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(await response.Content.ReadAsStreamAsync(cancellationToken));

    /// <summary>The next frame, or null at the end of the stream.</summary>
    public async Task<SseFrame?> NextAsync(CancellationToken cancellationToken)
    {
        string? eventName = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new SseFrame(eventName, data.ToString());
                }
                eventName = null;
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
        return null;
    }

    /// <summary>
    /// Reads frames until one satisfies <paramref name="until"/> and returns all read; fails the test, naming
    /// <paramref name="what"/>, when the stream ends first or nothing comes within <see cref="Eventually.Bound"/>
    /// (a gateway that buffers while the upstream holds).
    /// </summary>
    public async Task<List<SseFrame>> ReadUntilAsync(Func<SseFrame, bool> until, string what)
    {
        var frames = new List<SseFrame>();
        while (true)
        {
            var frame = await Eventually.WaitAsync(NextAsync(TestContext.Current.CancellationToken), what);
            Assert.True(frame is not null, $"{what}: the stream ended first");
            frames.Add(frame);
            if (until(frame))
            {
                return frames;
            }
        }
    }

    /// <summary>
    /// Proves by order, not by time, that frames are not buffered: reads until <paramref name="until"/> while the upstream
    /// holds its next token (<see cref="FakeScript.HoldAfterTokens"/>), then releases it and reads the rest.
    /// Returns the frames read before the release, and all frames.
    /// </summary>
    public async Task<(List<SseFrame> WhileHeld, List<SseFrame> All)> ReadWhileHoldingAsync(Func<SseFrame, bool> until, Func<RecordedRequest> upstream, string what)
    {
        var whileHeld = await ReadUntilAsync(until, what + " while the upstream holds its next token (does the gateway buffer?)");
        var held = upstream();
        await Eventually.WaitAsync(held.Held, "the upstream holding its next token");
        held.Release();
        return (whileHeld, [.. whileHeld, .. await ReadToEndAsync(TestContext.Current.CancellationToken)]);
    }

    /// <summary>Reads every remaining frame.</summary>
    public async Task<List<SseFrame>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var frames = new List<SseFrame>();
        while (await NextAsync(cancellationToken) is { } frame)
        {
            frames.Add(frame);
        }
        return frames;
    }

    public void Dispose() => _reader.Dispose();
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
        using var reader = await SseReader.OpenAsync(response, cancellationToken);
        var frames = new List<SseFrame>();
        while (await reader.NextAsync(cancellationToken) is { } frame)
        {
            frames.Add(frame);
            if (stopAfter?.Invoke(frame) == true)
            {
                break;
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
}
