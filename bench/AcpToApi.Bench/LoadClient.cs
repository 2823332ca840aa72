using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace AcpToApi.Bench;

/// <summary>A request that did not produce the expected answer: the message is the result in its column.</summary>
internal sealed class BenchFailure(string message) : Exception(message);

/// <summary>What one streamed response looked like at the client: Stopwatch timestamps of its frames.</summary>
internal sealed class StreamTrace
{
    public long Start { get; set; }

    public long FirstFrame { get; set; }

    public List<long> ContentFrames { get; } = new(70);

    public int DataFrames { get; set; }

    public bool Done { get; set; }

    public long FirstContent => ContentFrames.Count > 0 ? ContentFrames[0] : 0;
}

/// <summary>HttpClient over SocketsHttpHandler: HTTP/1.1, no proxy, no decompression, a large pool; timestamps with Stopwatch.</summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly byte[] HelloFromFake = "Hello from fake"u8.ToArray();
    private readonly HttpClient http;

    public LoadClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 4096,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>One non-streaming request, body read to the end and checked; returns elapsed Stopwatch ticks.</summary>
    public async Task<long> CompleteAsync(Target target, CancellationToken cancellationToken, byte[]? expected = null)
    {
        expected ??= HelloFromFake;
        var buffer = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            var start = Stopwatch.GetTimestamp();
            using var request = target.Create(stream: false);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length = Math.Min(length + read, buffer.Length - 1024);
            }

            var elapsed = Stopwatch.GetTimestamp() - start;
            if (response.StatusCode != HttpStatusCode.OK || buffer.AsSpan(0, length).IndexOf(expected) < 0)
            {
                throw new BenchFailure($"HTTP {(int)response.StatusCode}: {Snippet(buffer.AsSpan(0, length))}");
            }

            return elapsed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One streaming request read frame by frame (frames end with a blank line); every frame is timestamped as it arrives.</summary>
    public async Task<StreamTrace> StreamAsync(Target target, CancellationToken cancellationToken)
    {
        var trace = new StreamTrace { Start = Stopwatch.GetTimestamp() };
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var request = target.Create(stream: true);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                throw new BenchFailure($"HTTP {(int)response.StatusCode}: {Snippet(buffer.AsSpan(0, n))}");
            }

            var filled = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                filled += read;
                var consumed = 0;
                int end;
                while ((end = buffer.AsSpan(consumed, filled - consumed).IndexOf("\n\n"u8)) >= 0)
                {
                    Classify(buffer.AsSpan(consumed, end), now, trace);
                    consumed += end + 2;
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }

                if (filled == buffer.Length)
                {
                    throw new BenchFailure("a frame longer than 64 KiB");
                }
            }

            if (!trace.Done)
            {
                throw new BenchFailure($"stream ended without [DONE] after {trace.DataFrames} frames ({trace.ContentFrames.Count} with content)");
            }

            return trace;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => http.Dispose();

    private static void Classify(ReadOnlySpan<byte> frame, long now, StreamTrace trace)
    {
        var data = frame.IndexOf("data:"u8);
        if (data < 0)
        {
            return; // a comment (keep-alive) or an event line without data
        }

        if (trace.DataFrames++ == 0)
        {
            trace.FirstFrame = now;
        }

        var payload = frame[(data + 5)..].TrimStart((byte)' ');
        if (payload.StartsWith("[DONE]"u8))
        {
            trace.Done = true;
            return;
        }

        if (payload.StartsWith("{\"error\""u8) || payload.IndexOf("\"error\":{"u8) >= 0)
        {
            throw new BenchFailure("in-band error: " + Snippet(payload));
        }

        var content = payload.IndexOf("\"content\":\""u8);
        if (content >= 0 && content + 11 < payload.Length && payload[content + 11] != (byte)'"')
        {
            trace.ContentFrames.Add(now);
        }
    }

    private static string Snippet(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 160)]).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "(empty body)" : text.Replace("|", "/", StringComparison.Ordinal);
    }
}
