using System.Diagnostics;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>Runs a script from tests/node with the machine's node, using the SDKs installed there by ./test.sh.</summary>
public static class NodeScript
{
    public static string Directory => Path.Combine(TestEnvironment.RepoRoot, "tests", "node");

    public static void RequireInstalled(string package)
    {
        TestEnvironment.Require(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", package)), $"the npm package '{package}' (tests/node/node_modules)");
    }

    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        Assert.True(process.ExitCode == 0, $"node {script} exited {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
