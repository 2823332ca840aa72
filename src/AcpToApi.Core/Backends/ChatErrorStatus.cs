namespace AcpToApi.Backends;

internal static class ChatErrorStatus
{
    public static int ToHttpStatus(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.BadRequest => 400,
        ChatErrorKind.Authentication => 401,
        ChatErrorKind.PermissionDenied => 403,
        ChatErrorKind.NotFound => 404,
        ChatErrorKind.RequestTooLarge => 413,
        ChatErrorKind.RateLimited => 429,
        ChatErrorKind.UpstreamError => 502,
        ChatErrorKind.Unavailable => 503,
        ChatErrorKind.Timeout => 504,
        ChatErrorKind.NotImplemented => 501,
        _ => 500,
    };
}
