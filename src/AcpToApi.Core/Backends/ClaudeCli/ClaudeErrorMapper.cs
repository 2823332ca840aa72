using System.Globalization;
using System.Text.RegularExpressions;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Maps the CLI's failures to typed errors. An error <c>result</c> carries <c>api_error_status</c> and text such as
/// <c>API Error: 400 …</c>; the upstream status decides the kind (400→400, 401→401, 403→403, 429→429,
/// 500→502, 503/529→503); "Unable to connect" is 503; an error without a status is 502.
/// </summary>
internal static partial class ClaudeErrorMapper
{
    public const string InstallHint =
        "Install it with `npm install -g @anthropic-ai/claude-code` (then run `claude` once to log in), or point --claude-bin / ACPTOAPI_CLAUDE_BIN at it.";

    public static ChatBackendException FromResult(int? apiErrorStatus, string? text)
    {
        var message = string.IsNullOrWhiteSpace(text) ? "no details" : text.Trim();
        if (message.Contains("Third-party apps", StringComparison.OrdinalIgnoreCase) || message.Contains("extra usage", StringComparison.OrdinalIgnoreCase))
        {
            // Reported with subscription logins when a client's system prompt replaces or extends Claude Code's own.
            return new ChatBackendException(ChatErrorKind.PermissionDenied,
                $"Anthropic refused this request for the subscription Claude Code is logged in with ({message}). This happens when the client's "
                + "system prompt replaces or extends Claude Code's: start acptoapi with --claude-prompt-placement user (the default) so it goes "
                + "into the first user turn instead.")
            {
                UpstreamStatus = apiErrorStatus,
                Code = "claude_prompt_placement",
            };
        }
        if (message.Contains(GatewayLoop.Header, StringComparison.Ordinal))
        {
            // The gateway refused a request from its own CLI: ANTHROPIC_BASE_URL points back at it.
            return GatewayLoop.ForClient();
        }
        var status = apiErrorStatus ?? StatusInText(message);
        if (status is { } code)
        {
            return new ChatBackendException(ChatBackendException.KindFromStatus(code), $"Claude Code CLI: upstream returned HTTP {code}: {message}")
            {
                UpstreamStatus = code,
                RetryAfter = code == 429 ? TimeSpan.FromSeconds(5) : null,
            };
        }
        if (message.Contains("Unable to connect", StringComparison.OrdinalIgnoreCase)
            || message.Contains("ConnectionRefused", StringComparison.OrdinalIgnoreCase))
        {
            return new ChatBackendException(ChatErrorKind.Unavailable, $"Claude Code CLI cannot reach its API: {message}");
        }
        if (message.Contains("Invalid API key", StringComparison.OrdinalIgnoreCase)
            || message.Contains("/login", StringComparison.OrdinalIgnoreCase))
        {
            return new ChatBackendException(ChatErrorKind.Authentication,
                $"Claude Code CLI is not logged in: {message} (run `claude` once as the server's user, or set ANTHROPIC_API_KEY).");
        }
        return new ChatBackendException(ChatErrorKind.UpstreamError, $"Claude Code CLI failed: {message}");
    }

    public static ChatBackendException ProcessFailed(int? exitCode, string stderrTail)
    {
        var how = exitCode is { } code ? $"exited with code {code}" : "ended its output";
        var tail = string.IsNullOrWhiteSpace(stderrTail) ? "(stderr was empty)" : stderrTail.Trim();
        return new ChatBackendException(ChatErrorKind.UpstreamError, $"Claude Code CLI {how} before a result; stderr: {tail}");
    }

    public static ChatBackendException NotFound(string executable, string? detail = null) =>
        new(ChatErrorKind.Unavailable, $"Claude Code CLI not found at '{executable}'{(detail is null ? "" : $" ({detail})")}. {InstallHint}");

    private static int? StatusInText(string text)
    {
        var match = StatusPattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"API Error:\s*(\d{3})\b")]
    private static partial Regex StatusPattern();
}
