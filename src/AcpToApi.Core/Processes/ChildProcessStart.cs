namespace AcpToApi.Processes;

/// <summary>How to start a child: argv as a list (never a joined string), an explicit environment, a working directory.</summary>
internal sealed record ChildProcessStart
{
    /// <summary>Short name for logs and errors (claude, kilo serve, …).</summary>
    public required string Name { get; init; }

    /// <summary>The resolved executable (see <see cref="ExecutableLookup"/>).</summary>
    public required string Executable { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The child's whole environment; null inherits the gateway's. Nothing else leaks in when set.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// True when the caller reads stdout line by line; false drains stdout into the output tail with stderr (a daemon
    /// whose output only matters when it fails).
    /// </summary>
    public bool ReadsOutput { get; init; } = true;
}
