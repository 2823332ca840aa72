namespace AcpToApi.Backends;

/// <summary>The closed set of failures; each protocol maps them to its own error shape and HTTP status.
/// Public (the rest of Core is internal) because xunit theories, which must be public, take it as a parameter.</summary>
public enum ChatErrorKind
{
    BadRequest,
    Authentication,
    PermissionDenied,
    NotFound,
    RequestTooLarge,
    RateLimited,
    UpstreamError,
    Unavailable,
    Timeout,
    NotImplemented,
    Internal,
}
