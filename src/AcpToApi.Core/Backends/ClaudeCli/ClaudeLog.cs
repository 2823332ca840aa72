using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.ClaudeCli;

internal static partial class ClaudeLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "claude: continuing a {State} process ({ResultCount} tool results delivered)")]
    public static partial void Continued(ILogger logger, string state, int resultCount);
}
