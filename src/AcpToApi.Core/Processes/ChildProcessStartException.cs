namespace AcpToApi.Processes;

/// <summary>A child process could not be started (missing file, not executable, no permission).</summary>
internal sealed class ChildProcessStartException(ChildProcessStart start, string reason, Exception? inner = null)
    : Exception($"cannot run {start.Executable}: {reason}", inner)
{
    public string Reason { get; } = reason;
}
