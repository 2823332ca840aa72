using System.Text.RegularExpressions;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Client tools reach Claude Code through the gateway's MCP server, named <c>gw</c>, so the model sees
/// <c>mcp__gw__&lt;name&gt;</c>; the client only ever sees its own name. Names must already be in Claude Code's alphabet
/// (it would silently rename, and drop one of two names that collide) and short enough for the API's 64 characters.
/// </summary>
internal static partial class ClaudeToolNames
{
    public const string Server = "gw";
    public const string Prefix = "mcp__" + Server + "__";
    private const int MaxClientName = 64 - 9;

    public static string ForModel(string clientName) => Prefix + clientName;

    /// <summary>The client's name of a tool the model called, or null for a tool that is not the client's.</summary>
    public static string? ForClient(string modelName) => modelName.StartsWith(Prefix, StringComparison.Ordinal) ? modelName[Prefix.Length..] : null;

    public static void Validate(IReadOnlyList<ToolDefinition> tools)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var name = tools[i].Name;
            if (!NamePattern().IsMatch(name) || name.Length > MaxClientName)
            {
                throw new ChatBackendException(ChatErrorKind.BadRequest,
                    $"Tool name '{name}' cannot be offered through Claude Code: use letters, digits, '_' and '-' only, at most {MaxClientName} characters.")
                {
                    Param = $"tools[{i}].name",
                    Code = "invalid_tool_name",
                };
            }
            if (!seen.Add(name))
            {
                throw new ChatBackendException(ChatErrorKind.BadRequest, $"Tool name '{name}' is declared twice.") { Param = $"tools[{i}].name", Code = "duplicate_tool_name" };
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
