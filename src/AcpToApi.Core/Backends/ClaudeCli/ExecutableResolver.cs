namespace AcpToApi.Backends.ClaudeCli;

/// <summary>Finds a binary the way a shell would: a path is used as is, a bare name is searched on PATH.</summary>
public static class ExecutableResolver
{
    public static string? Resolve(string executable, IReadOnlyDictionary<string, string> environment)
    {
        if (executable.Contains(Path.DirectorySeparatorChar) || executable.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(executable) ? Path.GetFullPath(executable) : null;
        }
        var path = environment.TryGetValue("PATH", out var value) ? value : "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, executable);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0))
            {
                return candidate;
            }
        }
        return null;
    }
}
