using System.Globalization;
using System.Text;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Earlier turns of a conversation as a Claude Code session file, so a new process continues it with
/// <c>--resume &lt;id&gt;</c> and the model sees them as real turns (tool calls and results included), not a transcript.
/// The file lives where the CLI looks for it, <c>&lt;config dir&gt;/projects/&lt;working directory, slugged&gt;/&lt;id&gt;.jsonl</c>; the
/// working directory is the session's own, so the folder is the session's too and goes with it. With
/// <c>--no-session-persistence</c> the CLI only reads it.
/// </summary>
internal static class ClaudeHistoryFile
{
    /// <summary>The config directory the child will use: its CLAUDE_CONFIG_DIR, else ~/.claude; null when neither is known.</summary>
    public static string? ConfigDirectory(IReadOnlyDictionary<string, string> childEnvironment) =>
        childEnvironment.TryGetValue("CLAUDE_CONFIG_DIR", out var dir) && dir.Length > 0 ? dir
        : childEnvironment.TryGetValue("HOME", out var home) && home.Length > 0 ? Path.Combine(home, ".claude")
        : null;

    /// <summary>Writes the history; returns the session id to resume and the folder to delete with the session.</summary>
    public static (string SessionId, string Folder) Write(string configDirectory, string workingDirectory, string model, IReadOnlyList<ChatMessage> history)
    {
        var sessionId = Guid.NewGuid().ToString();
        var folder = Path.Combine(configDirectory, "projects", Slug(workingDirectory));
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        string? parent = null;
        var clock = DateTimeOffset.UtcNow.AddMinutes(-history.Count);
        foreach (var (role, parts) in ConversationTurns.Alternating(history))
        {
            var uuid = Guid.NewGuid().ToString();
            clock = clock.AddSeconds(1);
            text.Append(Encoding.UTF8.GetString(WireJson.ToBytes(w =>
            {
                w.WriteStartObject();
                if (parent is null) w.WriteNull("parentUuid");
                else w.WriteString("parentUuid", parent);
                w.WriteBoolean("isSidechain", false);
                w.WriteString("type", role);
                w.WriteString("uuid", uuid);
                w.WriteString("timestamp", clock.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteString("sessionId", sessionId);
                w.WriteString("cwd", workingDirectory);
                w.WriteString("userType", "external");
                w.WriteStartObject("message");
                if (role == "assistant")
                {
                    w.WriteString("id", "msg_" + Guid.NewGuid().ToString("N")[..24]);
                    w.WriteString("type", "message");
                    w.WriteString("model", model);
                }
                w.WriteString("role", role);
                w.WriteStartArray("content");
                foreach (var part in parts)
                {
                    AnthropicRequestWriter.WriteBlock(w, part is ToolCallPart call ? call with { Name = ClaudeToolNames.ForModel(call.Name) } : part);
                }
                w.WriteEndArray();
                if (role == "assistant")
                {
                    w.WriteString("stop_reason", parts.Any(p => p is ToolCallPart) ? "tool_use" : "end_turn");
                    w.WriteNull("stop_sequence");
                    w.WriteStartObject("usage");
                    w.WriteNumber("input_tokens", 0);
                    w.WriteNumber("output_tokens", 0);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }))).Append('\n');
            parent = uuid;
        }
        File.WriteAllText(Path.Combine(folder, sessionId + ".jsonl"), text.ToString());
        return (sessionId, folder);
    }

    /// <summary>The CLI's folder name for a working directory: every character but letters and digits becomes '-'.</summary>
    public static string Slug(string path) => string.Create(path.Length, path, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterOrDigit(source[i]) ? source[i] : '-';
        }
    });
}
