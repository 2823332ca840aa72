using System.Text.Json;

namespace AcpToApi.Backends.OpenCode;

/// <summary>Maps a <c>session.error</c> (<c>{"error":{"name","data":{"message","statusCode"}}}</c>) to our typed error.</summary>
internal static class ServeSessionError
{
    public static ChatBackendException ToException(string upstreamName, JsonElement properties)
    {
        var error = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("error", out var e) ? e : default;
        var name = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var data = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var message = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        int? status = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("statusCode", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;
        message ??= data.ValueKind == JsonValueKind.Object ? data.GetRawText() : name ?? "unknown error";

        var kind = name switch
        {
            "ProviderAuthError" => ChatErrorKind.Authentication,
            "MessageAbortedError" => ChatErrorKind.UpstreamError,
            _ when name?.EndsWith("NotFoundError", StringComparison.Ordinal) == true => ChatErrorKind.NotFound,
            _ when status is { } code => ChatBackendException.KindFromStatus(code),
            _ => ChatErrorKind.UpstreamError,
        };
        var detail = status is { } httpStatus ? $"the model returned HTTP {httpStatus}: {message}" : $"{name ?? "error"}: {message}";
        return new ChatBackendException(kind, $"{upstreamName}: {detail}")
        {
            UpstreamStatus = status,
            Code = name,
        };
    }
}
