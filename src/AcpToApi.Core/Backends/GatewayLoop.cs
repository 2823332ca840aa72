namespace AcpToApi.Backends;

/// <summary>
/// A gateway whose <c>ANTHROPIC_BASE_URL</c> points at itself would have its claude/ backend's Claude Code call the
/// gateway again, and again (each level a new process) until the process limit answers 429. Each gateway instance marks
/// the requests its own Claude Code processes send with a random token in this header and refuses a request that
/// carries its own token, so the misconfiguration is named at once.
/// </summary>
internal static class GatewayLoop
{
    public const string Header = "x-acptoapi-loop";

    public const string Code = "gateway_loop";

    /// <summary>
    /// A new instance's token: a version-4 GUID, 122 bits from the system's secure random source. Not
    /// <c>RandomNumberGenerator</c>, which on Linux loads OpenSSL: 3.4 MB of resident memory at every start, for a marker.
    /// </summary>
    public static string NewToken() => Guid.NewGuid().ToString("N");

    /// <summary>What the gateway answers the looping request with (its Claude Code passes it on in its error).</summary>
    public static ChatBackendException Refusal() => new(ChatErrorKind.BadRequest,
        $"This request ({Header}) came from a Claude Code process this same acptoapi started: ANTHROPIC_BASE_URL in acptoapi's "
        + "environment points at acptoapi itself.")
    {
        Code = Code,
    };

    /// <summary>What the client whose request started the loop gets.</summary>
    public static ChatBackendException ForClient() => new(ChatErrorKind.Unavailable,
        "The claude/ backend cannot work: ANTHROPIC_BASE_URL in acptoapi's environment points at acptoapi itself, so its Claude Code "
        + "called the gateway instead of Anthropic. Start acptoapi without ANTHROPIC_BASE_URL (or with the real API's URL); clients "
        + "set their own ANTHROPIC_BASE_URL.")
    {
        Code = Code,
    };

    /// <summary>Claude Code's <c>ANTHROPIC_CUSTOM_HEADERS</c> (<c>Name: Value</c> lines) with the token's line added.</summary>
    public static string WithHeader(string? customHeaders, string token) =>
        (string.IsNullOrEmpty(customHeaders) ? "" : customHeaders.TrimEnd('\r', '\n') + "\n") + Header + ": " + token;
}
