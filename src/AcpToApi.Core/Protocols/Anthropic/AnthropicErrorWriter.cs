using System.Text.Json;
using AcpToApi.Backends;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>{"type":"error","error":{"type","message"}} for a typed failure.</summary>
internal static class AnthropicErrorWriter
{
    public static void WriteBody(Utf8JsonWriter w, ChatBackendException error)
    {
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", TypeFor(error.Kind));
        w.WriteString("message", error.Message);
        w.WriteEndObject();
    }

    public static byte[] ToBytes(ChatBackendException error) => WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        WriteBody(w, error);
        w.WriteEndObject();
    });

    public static string TypeFor(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.BadRequest or ChatErrorKind.NotImplemented => "invalid_request_error",
        ChatErrorKind.Authentication => "authentication_error",
        ChatErrorKind.PermissionDenied => "permission_error",
        ChatErrorKind.NotFound => "not_found_error",
        ChatErrorKind.RequestTooLarge => "request_too_large",
        ChatErrorKind.RateLimited => "rate_limit_error",
        ChatErrorKind.Unavailable => "overloaded_error",
        ChatErrorKind.Timeout => "timeout_error",
        _ => "api_error",
    };
}
