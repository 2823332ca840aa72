namespace AcpToApi.Processes;

/// <summary>Finds a binary the way a shell would: a path is used as is, a bare name is searched on PATH (executables only).</summary>
internal static class ExecutableLookup
{
    /// <summary>The full path of <paramref name="executable"/>, or null; <paramref name="path"/> is the PATH value to search.</summary>
    public static string? Find(string executable, string? path)
    {
        if (executable.Contains(Path.DirectorySeparatorChar) || executable.Contains(Path.AltDirectorySeparatorChar))
        {
            return IsExecutable(executable) ? Path.GetFullPath(executable) : null;
        }
        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, executable);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Searches the PATH of <paramref name="environment"/> when it has one, else the gateway's own.</summary>
    public static string? Find(string executable, IReadOnlyDictionary<string, string>? environment) =>
        Find(executable, environment is not null && environment.TryGetValue("PATH", out var path) ? path : Environment.GetEnvironmentVariable("PATH"));

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0);
}
