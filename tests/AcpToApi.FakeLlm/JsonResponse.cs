using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Writes a whole JSON response.</summary>
internal static class JsonResponse
{
    public static async Task WriteAsync(HttpContext http, int status, Action<Utf8JsonWriter> writeJson, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WireJson.WriterOptions))
        {
            writeJson(writer);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = stream.Length;
        await http.Response.Body.WriteAsync(stream.GetBuffer().AsMemory(0, (int)stream.Length), cancellationToken);
    }

    /// <summary>An error status, with <c>Retry-After</c> when the script asks for it.</summary>
    public static Task WriteErrorAsync(FakeExchange exchange, int status, int? retryAfterSeconds, Action<Utf8JsonWriter> writeJson)
    {
        if (retryAfterSeconds is { } seconds)
        {
            exchange.Http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(exchange.Http, status, writeJson, exchange.Cancellation);
    }
}
