using System.Text;
using AcpToApi.Protocols;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// The argv of one process. Nothing from the conversation is ever in here: prompts go through stdin, the system prompt
/// through a file, earlier turns through a session file, so none of it shows in <c>ps</c> or hits argv length limits.
/// </summary>
internal static class ClaudeArguments
{
    public static List<string> Build(ClaudeCliOptions options, ClaudeLaunch launch)
    {
        List<string> args =
        [
            "-p",
            "--output-format", "stream-json",
            "--verbose",
            "--include-partial-messages",
            // One process per conversation: each stream-json user line on stdin is a turn.
            "--input-format", "stream-json",
            "--model", launch.Model,
            // Only the gateway's own MCP server (the client's tools), no settings files (user, project or local),
            // no skills or slash commands, nothing stored.
            "--strict-mcp-config", "--mcp-config", McpConfig(launch.McpUrl),
            "--setting-sources", "",
            "--disable-slash-commands",
            "--no-session-persistence",
        ];
        if (launch.McpUrl is not null)
        {
            args.AddRange(["--allowedTools", "mcp__" + ClaudeToolNames.Server]);
        }
        if (options.ClaudeTools)
        {
            // Operator opt-in: Claude Code's built-in tools, edits accepted inside the per-conversation directory only.
            args.AddRange(["--permission-mode", "acceptEdits"]);
        }
        else
        {
            args.AddRange(["--tools", ""]);
        }
        switch (launch.Placement)
        {
            case ClaudePlacements.Replace:
                args.AddRange(["--system-prompt-file", launch.SystemPromptFile]);
                break;
            case ClaudePlacements.Append:
                args.AddRange(["--append-system-prompt-file", launch.SystemPromptFile]);
                break;
        }
        if (launch.ResumeSessionId is { } session)
        {
            args.AddRange(["--resume", session]);
        }
        return args;
    }

    private static string McpConfig(Uri? url) => Encoding.UTF8.GetString(WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("mcpServers");
        if (url is not null)
        {
            w.WriteStartObject(ClaudeToolNames.Server);
            w.WriteString("type", "http");
            w.WriteString("url", url.ToString());
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }));
}

/// <summary>What one process is started with.</summary>
internal sealed record ClaudeLaunch(string Model, string Placement, string SystemPromptFile, Uri? McpUrl = null, string? ResumeSessionId = null);

/// <summary>Where the client's system prompt goes (<c>--claude-prompt-placement</c>).</summary>
internal static class ClaudePlacements
{
    /// <summary>Replaces Claude Code's own system prompt.</summary>
    public const string Replace = "replace";

    /// <summary>Appended to Claude Code's own system prompt.</summary>
    public const string Append = "append";

    /// <summary>At the top of the first user turn; Claude Code's own system prompt untouched.</summary>
    public const string User = "user";
}
