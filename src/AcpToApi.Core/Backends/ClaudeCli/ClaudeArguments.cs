namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// The argv of one run. Nothing from the conversation is ever in here: the prompt goes through stdin and
/// the system prompt through a file, so neither shows in <c>ps</c> nor hits argv length limits.
/// </summary>
public static class ClaudeArguments
{
    public static List<string> Build(ClaudeCliOptions options, string model, string systemPromptFile)
    {
        List<string> args =
        [
            "-p",
            "--output-format", "stream-json",
            "--verbose",
            "--include-partial-messages",
            "--input-format", "stream-json",
            "--model", model,
            // No MCP servers, no settings files (user, project or local), no skills or slash commands, nothing stored.
            "--strict-mcp-config", "--mcp-config", """{"mcpServers":{}}""",
            "--setting-sources", "",
            "--disable-slash-commands",
            "--no-session-persistence",
        ];
        if (options.ClaudeTools)
        {
            // Operator opt-in: Claude Code's built-in tools, edits accepted inside the per-request directory only.
            args.AddRange(["--permission-mode", "acceptEdits"]);
        }
        else
        {
            args.AddRange(["--tools", ""]);
        }
        args.AddRange(options.ClaudeAgentPrompt
            ? ["--append-system-prompt-file", systemPromptFile]
            : ["--system-prompt-file", systemPromptFile]);
        return args;
    }
}
