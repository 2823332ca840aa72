using System.Diagnostics;
using System.Text.Json;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>What a finished child process printed, and how it exited.</summary>
public sealed record ChildProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout as JSON Lines (Codex's <c>--json</c>, opencode's <c>--format json</c>): one value per non-empty line.</summary>
    public IReadOnlyList<JsonElement> StdoutJsonLines() =>
    [
        .. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()),
    ];
}

/// <summary>
/// Runs a client program (node, claude, codex) to its end: stdin closed at once (as <c>&lt;/dev/null</c>), stdout and
/// stderr collected, and the whole process tree killed if it outlives <paramref name="timeout"/> or the test.
/// </summary>
public static class ChildProcess
{
    public static async Task<ChildProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        return new ChildProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
