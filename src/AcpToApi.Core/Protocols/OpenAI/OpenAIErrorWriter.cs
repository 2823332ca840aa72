using System.Text.Json;
using AcpToApi.Backends;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Writes {"error":{"message","type","param","code"}} for a typed failure.</summary>
internal static class OpenAIErrorWriter
{
    public static void WriteEnvelope(Utf8JsonWriter w, ChatBackendException error)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        w.WriteString("type", TypeFor(error.Kind));
        if (error.Param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", error.Param);
        }
        w.WriteString("code", error.Code ?? CodeFor(error.Kind));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static byte[] ToBytes(ChatBackendException error)
    {
        return WireJson.ToBytes(w => WriteEnvelope(w, error));
    }

    public static string TypeFor(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.BadRequest or ChatErrorKind.NotFound or ChatErrorKind.RequestTooLarge => "invalid_request_error",
        ChatErrorKind.Authentication => "authentication_error",
        ChatErrorKind.PermissionDenied => "permission_error",
        ChatErrorKind.RateLimited => "rate_limit_error",
        ChatErrorKind.NotImplemented => "not_implemented_error",
        _ => "api_error",
    };

    private static string CodeFor(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.BadRequest => "invalid_request",
        ChatErrorKind.Authentication => "invalid_api_key",
        ChatErrorKind.PermissionDenied => "permission_denied",
        ChatErrorKind.NotFound => "not_found",
        ChatErrorKind.RequestTooLarge => "request_too_large",
        ChatErrorKind.RateLimited => "rate_limit_exceeded",
        ChatErrorKind.UpstreamError => "upstream_error",
        ChatErrorKind.Unavailable => "backend_unavailable",
        ChatErrorKind.Timeout => "upstream_timeout",
        ChatErrorKind.NotImplemented => "not_implemented",
        _ => "internal_error",
    };
}
