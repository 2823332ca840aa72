namespace AcpToApi.Backends.ClaudeCli;

/// <summary>How the Claude Code CLI backend runs the <c>claude</c> binary. Only the operator sets these, never a request.</summary>
public sealed record ClaudeCliOptions
{
    /// <summary>The binary: a path, or a bare name looked up on PATH (from <see cref="Environment"/>).</summary>
    public string Executable { get; init; } = "claude";

    /// <summary>The server's environment as read at start-up; the child gets only the allow-listed part of it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Lets Claude Code use its own tools (Bash, Edit, …) inside the per-request temporary directory. Off by default.</summary>
    public bool EnableTools { get; init; }

    /// <summary>Keeps Claude Code's own agent prompt; the client's system message is appended to it instead of replacing it.</summary>
    public bool KeepAgentPrompt { get; init; }

    /// <summary>Most claude processes running at once.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>How long a request past the limit waits for a free slot before it is answered 429.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest silence on the CLI's stdout while a response is in progress (504, and the process is killed).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>CLAUDE_CODE_MAX_RETRIES given to the CLI unless the operator's environment sets it.</summary>
    public int DefaultMaxRetries { get; init; } = 2;

    /// <summary>Where per-request working directories are created (default: the system temp directory).</summary>
    public string? TempRoot { get; init; }
}
