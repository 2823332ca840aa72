using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.OpenCode;

/// <summary>Lifecycle of the agent daemons: auto-launch, the shared event stream, sessions and their clean-up.</summary>
internal static partial class ServeLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "{Daemon}: auto-launched pid {Pid} for {Url}")]
    public static partial void DaemonLaunched(ILogger logger, string daemon, int pid, Uri url);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "{Daemon}: event stream connected")]
    public static partial void EventStreamConnected(ILogger logger, string daemon);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{Daemon}: event stream dropped ({Reason}); {Affected} requests in flight fail, the next one reconnects")]
    public static partial void EventStreamDropped(ILogger logger, string daemon, string reason, int affected);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "{Daemon}: session {SessionId} created")]
    public static partial void SessionCreated(ILogger logger, string daemon, string sessionId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "{Daemon}: session {SessionId} {Action}")]
    public static partial void SessionCleanedUp(ILogger logger, string daemon, string sessionId, string action);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "{Daemon}: could not {Action} session {SessionId}; it stays on the daemon")]
    public static partial void SessionCleanupFailed(ILogger logger, string daemon, string sessionId, string action);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "{Daemon}: answered permission request {PermissionId} with {Reply}{Failure}")]
    public static partial void PermissionAnswered(ILogger logger, string daemon, string permissionId, string reply, string failure);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "{Daemon}: session {SessionId} continues with {ResultCount} client tool results")]
    public static partial void Continued(ILogger logger, string daemon, string sessionId, int resultCount);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "{Daemon}: could not disconnect MCP server {Server}")]
    public static partial void McpDisconnectFailed(ILogger logger, string daemon, string server);
}
