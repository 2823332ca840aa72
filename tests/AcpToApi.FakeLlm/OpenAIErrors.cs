using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAIErrors
{
    public static Task WriteResponseAsync(FakeExchange exchange, int status, string message, int? retryAfterSeconds = null) =>
        JsonResponse.WriteErrorAsync(exchange, status, retryAfterSeconds, w => WriteBody(w, message, status));

    /// <summary>Writes the body; <paramref name="type"/> and <paramref name="code"/> default from the status.</summary>
    public static void WriteBody(Utf8JsonWriter writer, string message, int status, string? type = null, string? code = null)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type ?? TypeFor(status));
        writer.WriteNull("param");
        if ((code ?? CodeFor(status)) is { } value)
        {
            writer.WriteString("code", value);
        }
        else
        {
            writer.WriteNull("code");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static string? CodeFor(int status) => status switch
    {
        401 => "invalid_api_key",
        404 => "model_not_found",
        429 => "rate_limit_exceeded",
        _ => null,
    };
}
