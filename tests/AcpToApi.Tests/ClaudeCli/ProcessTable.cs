using System.Text;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>Reads the Linux process table (/proc) to see which processes exist and what they were started with.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> WithEnvironmentEntry(string entry)
    {
        var needle = Encoding.UTF8.GetBytes(entry + "\0");
        var inner = Encoding.UTF8.GetBytes("\0" + entry + "\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || !IsAlive(pid))
            {
                continue;
            }
            var environ = TryRead(Path.Combine(directory, "environ"));
            if (environ is not null && (environ.AsSpan().StartsWith(needle) || environ.AsSpan().IndexOf(inner) >= 0))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    /// <summary>argv, NUL-separated in /proc, as a list.</summary>
    public static IReadOnlyList<string> CommandLine(int pid) =>
        Encoding.UTF8.GetString(TryRead($"/proc/{pid}/cmdline") ?? []).Split('\0', StringSplitOptions.None)[..^1];

    public static IReadOnlyDictionary<string, string> Environment(int pid) =>
        Encoding.UTF8.GetString(TryRead($"/proc/{pid}/environ") ?? [])
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1]);

    public static string? WorkingDirectory(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return false;
        }
        var text = Encoding.ASCII.GetString(stat);
        var close = text.LastIndexOf(')');
        return close > 0 && close + 2 < text.Length && text[close + 2] is not ('Z' or 'X');
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
