using Microsoft.Extensions.Logging;

namespace AcpToApi.Processes;

internal static partial class ProcessLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "{Name} started: pid {Pid}, {Executable} with {ArgumentCount} arguments")]
    public static partial void Started(ILogger logger, string name, int pid, string executable, int argumentCount);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Name} could not be started ({Executable}): {Reason}")]
    public static partial void StartFailed(ILogger logger, string name, string executable, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "{Name} pid {Pid} exited with code {ExitCode} after {DurationMs:0} ms")]
    public static partial void Exited(ILogger logger, string name, int pid, int exitCode, double durationMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Name} pid {Pid}: killing its process tree")]
    public static partial void Killing(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Name} pid {Pid} was still running {Seconds} s after it was killed")]
    public static partial void DidNotExit(ILogger logger, string name, int pid, double seconds);

    /// <summary>Output can hold prompts and answers: Debug for diagnostic streams, Trace for the answer stream.</summary>
    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Name} pid {Pid} {Stream}: {Line}")]
    public static partial void OutputLine(ILogger logger, string name, int pid, string stream, string line);
}
