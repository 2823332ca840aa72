namespace AcpToApi.Backends;

/// <summary>A typed failure from routing or a backend, mapped by each endpoint to its protocol's error.</summary>
internal sealed class ChatBackendException(ChatErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ChatErrorKind Kind { get; } = kind;

    /// <summary>The upstream HTTP status when there was one.</summary>
    public int? UpstreamStatus { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The request field at fault, for bad requests.</summary>
    public string? Param { get; init; }

    /// <summary>A machine-readable code such as model_not_found.</summary>
    public string? Code { get; init; }

    /// <summary>The HTTP status for the client when it is not the kind's own (the echo backend's <c>error=STATUS</c> keeps it as asked).</summary>
    public int? Status { get; init; }

    public int HttpStatus => Status ?? ChatErrorStatus.ToHttpStatus(Kind);

    /// <summary>Maps an upstream HTTP status to the error kind we report for it.</summary>
    public static ChatErrorKind KindFromStatus(int status) => status switch
    {
        400 or 422 => ChatErrorKind.BadRequest,
        401 => ChatErrorKind.Authentication,
        403 => ChatErrorKind.PermissionDenied,
        404 => ChatErrorKind.NotFound,
        413 => ChatErrorKind.RequestTooLarge,
        408 or 504 => ChatErrorKind.Timeout,
        429 => ChatErrorKind.RateLimited,
        503 or 529 => ChatErrorKind.Unavailable,
        _ => ChatErrorKind.UpstreamError,
    };
}
