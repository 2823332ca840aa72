using AcpToApi.Configuration;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>How the Claude Code CLI backend runs the <c>claude</c> binary. Only the operator sets these, never a request.</summary>
internal sealed record ClaudeCliOptions : AgentSessions.AgentOptions
{
    /// <summary>The binary: a path, or a bare name looked up on PATH (from <see cref="Environment"/>).</summary>
    [Setting("--claude-bin", "ACPTOAPI_CLAUDE_BIN", "Claude Code CLI to run (a bare name is looked up on `PATH`)")]
    public string ClaudeBin { get; set; } = "claude";

    /// <summary>Lets Claude Code use its own tools (Bash, Edit, …) inside the per-request temporary directory. Off by default.</summary>
    [Setting("--claude-tools", "ACPTOAPI_CLAUDE_TOOLS", "DANGER: let Claude Code run its own tools (Bash, Edit, …) in a temporary directory per request (loud warning at start-up)")]
    public bool ClaudeTools { get; set; }

    /// <summary>Where the client's system prompt goes: replace Claude Code's, append to it, or the top of the first user turn.</summary>
    [Setting("--claude-prompt-placement", "ACPTOAPI_CLAUDE_PROMPT_PLACEMENT",
        "where the client's system prompt goes: `user` (top of the first user turn, Claude Code's own prompt kept), `replace` (instead of Claude Code's prompt) or `append` (after it); see the claude section",
        OneOf = [ClaudePlacements.User, ClaudePlacements.Replace, ClaudePlacements.Append])]
    public string ClaudePromptPlacement { get; set; } = ClaudePlacements.User;

    /// <summary>Claude processes started ahead of need, so a new conversation does not wait for process start.</summary>
    [Setting("--claude-pool-size", "ACPTOAPI_CLAUDE_POOL_SIZE",
        "claude processes kept started and waiting for a new conversation without client tools (after the first request; `0` disables)",
        Minimum = 0, Maximum = 16)]
    public int ClaudePoolSize { get; set; } = 1;

    [Setting("--claude-max-concurrency", "ACPTOAPI_CLAUDE_MAX_CONCURRENCY",
        "most claude processes at once, running, parked, idle or warm (an idle or warm one is stopped to make room)", Minimum = 1, Maximum = 256)]
    public int ClaudeMaxConcurrency { get; set; } = 4;

    [Setting("--claude-queue-timeout", "ACPTOAPI_CLAUDE_QUEUE_TIMEOUT", "seconds a request past the limit waits, then 429 with `Retry-After`", Minimum = 0)]
    public double ClaudeQueueTimeoutSeconds { get; set; } = 5;

    /// <summary>How long a request past <see cref="ClaudeMaxConcurrency"/> waits for a free slot before it is answered 429.</summary>
    public TimeSpan QueueTimeout => TimeSpan.FromSeconds(ClaudeQueueTimeoutSeconds);

    /// <summary>The server's environment as read at start-up; the child gets only the allow-listed part of it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>CLAUDE_CODE_MAX_RETRIES given to the CLI unless the operator's environment sets it.</summary>
    public int DefaultMaxRetries { get; init; } = 2;

    /// <summary>
    /// This gateway instance's <see cref="GatewayLoop"/> token, sent by every CLI it starts, so a request from one of them
    /// that comes back to the gateway is refused at once; null: none (the CLI runs outside a gateway).
    /// </summary>
    public string? LoopToken { get; init; }

    /// <summary>Where per-request working directories are created (default: the system temp directory).</summary>
    public string? TempRoot { get; init; }
}
