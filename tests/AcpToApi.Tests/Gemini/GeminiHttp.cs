using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Gemini;

/// <summary>Raw Gemini requests and readers for both stream framings.</summary>
internal static class GeminiHttp
{
    public static string UserText(string text, string extra = "") =>
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + JsonSerializer.Serialize(text) + "}]}]" + extra + "}";

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken) =>
        RawSse.PostAsync(http, path, json, cancellationToken);

    /// <summary>Every SSE frame as parsed JSON.</summary>
    public static async Task<List<JsonElement>> SseChunksAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await RawSse.ReadFramesAsync(response, cancellationToken)).Select(f => f.Json).ToList();

    /// <summary>The body of a streamed JSON array, parsed whole (it must be one valid JSON array).</summary>
    public static async Task<(string Raw, List<JsonElement> Elements)> ArrayChunksAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        var root = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return (raw, root.EnumerateArray().ToList());
    }

    /// <summary>
    /// Reads a streamed body's bytes into <paramref name="received"/> until <paramref name="marker"/> has arrived (or, when
    /// it is null, to the end); each read is bounded by <see cref="Eventually.Bound"/> and fails naming <paramref name="what"/>.
    /// </summary>
    public static async Task ReadUntilAsync(Stream stream, StringBuilder received, string? marker, string what)
    {
        var buffer = new byte[4096];
        while (marker is null || !received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await Eventually.WaitAsync(stream.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask(), what);
            if (read == 0)
            {
                Assert.True(marker is null, $"the body ended before {what}: {received}");
                return;
            }
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    public static IEnumerable<JsonElement> Parts(JsonElement chunk) =>
        chunk.TryGetProperty("candidates", out var candidates)
            ? candidates[0].GetProperty("content").GetProperty("parts").EnumerateArray()
            : [];

    /// <summary>Concatenated non-thought text of the chunks.</summary>
    public static string Text(IEnumerable<JsonElement> chunks) => string.Concat(chunks.SelectMany(Parts)
        .Where(p => p.TryGetProperty("text", out _) && !p.TryGetProperty("thought", out _))
        .Select(p => p.GetProperty("text").GetString()));

    public static string Thoughts(IEnumerable<JsonElement> chunks) => string.Concat(chunks.SelectMany(Parts)
        .Where(p => p.TryGetProperty("thought", out var t) && t.GetBoolean())
        .Select(p => p.GetProperty("text").GetString()));

    public static List<JsonElement> FunctionCalls(IEnumerable<JsonElement> chunks) => chunks.SelectMany(Parts)
        .Where(p => p.TryGetProperty("functionCall", out _))
        .Select(p => p.GetProperty("functionCall"))
        .ToList();

    public static string? FinishReason(JsonElement chunk) =>
        chunk.TryGetProperty("candidates", out var c) && c[0].TryGetProperty("finishReason", out var f) ? f.GetString() : null;

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, int status, string googleStatus, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(googleStatus, error.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
