using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Anthropic's error body: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
internal static class AnthropicErrors
{
    public static Task WriteResponseAsync(FakeExchange exchange, int status, string message, int? retryAfterSeconds = null) =>
        JsonResponse.WriteErrorAsync(exchange, status, retryAfterSeconds, w => WriteBody(w, message, status));

    public static void WriteBody(Utf8JsonWriter writer, string message, int status)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", TypeFor(status));
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };
}
