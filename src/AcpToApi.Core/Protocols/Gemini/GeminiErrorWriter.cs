using System.Text.Json;
using AcpToApi.Backends;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Writes {"error":{"code","message","status"}} with Google's canonical status names.</summary>
internal static class GeminiErrorWriter
{
    public static void WriteEnvelope(Utf8JsonWriter w, ChatBackendException error)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("code", error.HttpStatus);
        w.WriteString("message", error.Message);
        w.WriteString("status", StatusFor(error.Kind));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static byte[] ToBytes(ChatBackendException error) => WireJson.ToBytes(w => WriteEnvelope(w, error));

    public static string StatusFor(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.BadRequest or ChatErrorKind.RequestTooLarge => "INVALID_ARGUMENT",
        ChatErrorKind.Authentication => "UNAUTHENTICATED",
        ChatErrorKind.PermissionDenied => "PERMISSION_DENIED",
        ChatErrorKind.NotFound => "NOT_FOUND",
        ChatErrorKind.RateLimited => "RESOURCE_EXHAUSTED",
        ChatErrorKind.UpstreamError or ChatErrorKind.Unavailable => "UNAVAILABLE",
        ChatErrorKind.Timeout => "DEADLINE_EXCEEDED",
        ChatErrorKind.NotImplemented => "UNIMPLEMENTED",
        _ => "INTERNAL",
    };

    /// <summary>Client side: the error kind for a Gemini status name, falling back to the HTTP status.</summary>
    public static ChatErrorKind KindFor(string? status, int httpStatus) => status switch
    {
        "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => ChatErrorKind.BadRequest,
        "UNAUTHENTICATED" => ChatErrorKind.Authentication,
        "PERMISSION_DENIED" => ChatErrorKind.PermissionDenied,
        "NOT_FOUND" => ChatErrorKind.NotFound,
        "RESOURCE_EXHAUSTED" => ChatErrorKind.RateLimited,
        "UNAVAILABLE" => ChatErrorKind.Unavailable,
        "DEADLINE_EXCEEDED" => ChatErrorKind.Timeout,
        "UNIMPLEMENTED" => ChatErrorKind.NotImplemented,
        "INTERNAL" => ChatErrorKind.UpstreamError,
        _ => ChatBackendException.KindFromStatus(httpStatus),
    };
}
