using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;

namespace AcpToApi.Tests.Backends.ClaudeCli;

public sealed class ClaudeErrorMapperTests
{
    [Theory]
    [InlineData(null, "API Error: 400 bad", ChatErrorKind.BadRequest, 400)]
    [InlineData(401, "API Error: 401 {\"type\":\"error\"}", ChatErrorKind.Authentication, 401)]
    [InlineData(null, "API Error: 403 forbidden", ChatErrorKind.PermissionDenied, 403)]
    [InlineData(429, "API Error: 429 slow down", ChatErrorKind.RateLimited, 429)]
    [InlineData(500, "API Error: 500 boom", ChatErrorKind.UpstreamError, 502)]
    [InlineData(529, "API Error: 529 overloaded", ChatErrorKind.Unavailable, 503)]
    [InlineData(null, "API Error: Unable to connect to API (ConnectionRefused)", ChatErrorKind.Unavailable, 503)]
    [InlineData(null, "Invalid API key · Please run /login", ChatErrorKind.Authentication, 401)]
    [InlineData(null, "something else", ChatErrorKind.UpstreamError, 502)]
    public void MapsTheResultToAKindAndStatus(int? apiStatus, string text, ChatErrorKind kind, int httpStatus)
    {
        var error = ClaudeErrorMapper.FromResult(apiStatus, text);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(httpStatus, error.HttpStatus);
        Assert.Contains(text, error.Message);
    }

    [Fact]
    public void TheGatewaysRefusalOfItsOwnCliIsA503NamingTheVariable()
    {
        // What Claude Code prints when the gateway it was pointed at refused it as its own (GatewayLoopMiddleware).
        var refusal = GatewayLoop.Refusal();
        var error = ClaudeErrorMapper.FromResult(400, $"API Error: 400 {{\"type\":\"error\",\"error\":{{\"type\":\"invalid_request_error\",\"message\":\"{refusal.Message}\"}}}}");

        Assert.Equal((ChatErrorKind.Unavailable, 503, GatewayLoop.Code), (error.Kind, error.HttpStatus, error.Code));
        Assert.Contains("ANTHROPIC_BASE_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimitCarriesRetryAfter() => Assert.NotNull(ClaudeErrorMapper.FromResult(429, "API Error: 429").RetryAfter);

    [Fact]
    public void ProcessFailureIs502WithTheStderrTail()
    {
        var error = ClaudeErrorMapper.ProcessFailed(1, "line one\nerror: unknown option '--bogus'\n");

        Assert.Equal(502, error.HttpStatus);
        Assert.Contains("exited with code 1", error.Message);
        Assert.Contains("unknown option '--bogus'", error.Message);
    }

    [Fact]
    public void MissingCliIs503WithAnInstallHint()
    {
        var error = ClaudeErrorMapper.NotFound("/nope/claude");

        Assert.Equal(503, error.HttpStatus);
        Assert.Contains("npm install -g @anthropic-ai/claude-code", error.Message);
    }

    [Fact]
    public void TheSubscriptionRefusalOfAMovedSystemPromptNamesTheSettingThatAvoidsIt()
    {
        var error = ClaudeErrorMapper.FromResult(400, "API Error: 400 Third-party apps now draw from your extra usage, not your plan limits.");

        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("claude_prompt_placement", error.Code);
        Assert.Contains("--claude-prompt-placement user", error.Message, StringComparison.Ordinal);
    }
}
