namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// Where the test run is and what it has. In CI (CI=true) a missing prerequisite fails the test;
/// elsewhere the test is skipped and says why, loudly.
/// </summary>
public static class TestEnvironment
{
    public static bool IsCI => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Fails in CI, skips elsewhere, when a prerequisite (a binary, node_modules) is missing.</summary>
    public static void Require(bool present, string what)
    {
        if (present)
        {
            return;
        }
        var message = $"{what} is missing. Run the README's test command (./test.sh), which installs it.";
        if (IsCI)
        {
            Assert.Fail("In CI this test must run: " + message);
        }
        Assert.Skip("SKIPPED outside CI: " + message);
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AcpToApi.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (AcpToApi.slnx)");
    }
}
