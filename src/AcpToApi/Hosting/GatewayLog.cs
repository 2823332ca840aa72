namespace AcpToApi.Hosting;

/// <summary>Source-generated log lines. Prompts and answers never appear above Trace; secrets never.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information,
        "{RequestId} {Protocol} model={Model} backend={Backend} status={Status} stream={Stream} ttfb_ms={TtfbMs:0.0} duration_ms={DurationMs:0.0} tokens_in={InputTokens} tokens_out={OutputTokens} outcome={Outcome}")]
    public static partial void RequestCompleted(ILogger logger, string requestId, string protocol, string model, string backend, int status,
        bool stream, double ttfbMs, double durationMs, int? inputTokens, int? outputTokens, string outcome);

    [LoggerMessage(2, LogLevel.Warning, "{RequestId} {Protocol} model={Model} backend={Backend} failed: {Kind} {Message}")]
    public static partial void BackendFailed(ILogger logger, string requestId, string protocol, string model, string backend, string kind, string message);

    [LoggerMessage(3, LogLevel.Trace, "{RequestId} prompt: {Prompt}")]
    public static partial void Prompt(ILogger logger, string requestId, string prompt);

    [LoggerMessage(4, LogLevel.Error, "{RequestId} unexpected failure")]
    public static partial void Unexpected(ILogger logger, string requestId, Exception exception);
}
