using AcpToApi.Configuration;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>How the Claude Code CLI backend runs the <c>claude</c> binary. Only the operator sets these, never a request.</summary>
public sealed record ClaudeCliOptions : BackendOptions
{
    /// <summary>The binary: a path, or a bare name looked up on PATH (from <see cref="Environment"/>).</summary>
    [Setting("--claude-bin", "ACPTOAPI_CLAUDE_BIN", "Claude Code CLI to run (a bare name is looked up on `PATH`)")]
    public string ClaudeBin { get; set; } = "claude";

    /// <summary>Lets Claude Code use its own tools (Bash, Edit, …) inside the per-request temporary directory. Off by default.</summary>
    [Setting("--claude-tools", "ACPTOAPI_CLAUDE_TOOLS", "DANGER: let Claude Code run its own tools (Bash, Edit, …) in a temporary directory per request (loud warning at start-up)")]
    public bool ClaudeTools { get; set; }

    /// <summary>Keeps Claude Code's own agent prompt; the client's system message is appended to it instead of replacing it.</summary>
    [Setting("--claude-agent-prompt", "ACPTOAPI_CLAUDE_AGENT_PROMPT", "keep Claude Code's agent prompt and append the client's system message")]
    public bool ClaudeAgentPrompt { get; set; }

    [Setting("--claude-max-concurrency", "ACPTOAPI_CLAUDE_MAX_CONCURRENCY", "most claude processes at once", Minimum = 1, Maximum = 256)]
    public int ClaudeMaxConcurrency { get; set; } = 4;

    [Setting("--claude-queue-timeout", "ACPTOAPI_CLAUDE_QUEUE_TIMEOUT", "seconds a request past the limit waits, then 429 with `Retry-After`", Minimum = 0)]
    public double ClaudeQueueTimeoutSeconds { get; set; } = 5;

    /// <summary>How long a request past <see cref="ClaudeMaxConcurrency"/> waits for a free slot before it is answered 429.</summary>
    public TimeSpan QueueTimeout => TimeSpan.FromSeconds(ClaudeQueueTimeoutSeconds);

    /// <summary>The server's environment as read at start-up; the child gets only the allow-listed part of it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>CLAUDE_CODE_MAX_RETRIES given to the CLI unless the operator's environment sets it.</summary>
    public int DefaultMaxRetries { get; init; } = 2;

    /// <summary>Where per-request working directories are created (default: the system temp directory).</summary>
    public string? TempRoot { get; init; }
}
