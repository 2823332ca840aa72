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
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(result.ExitCode == 0, $"node {script} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout.Trim();
    }
}
