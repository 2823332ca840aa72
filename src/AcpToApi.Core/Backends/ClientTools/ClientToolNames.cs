using System.Text.RegularExpressions;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClientTools;

/// <summary>
/// Client tools reach an agent under a prefixed name (Claude Code: <c>mcp__gw__</c>; opencode/kilo: their MCP server's
/// name). The names must already be in the agents' alphabet (they would silently rename them, and drop one of two names
/// that collide) and short enough, with the prefix, for the model APIs' 64 characters.
/// </summary>
internal static partial class ClientToolNames
{
    public const int ModelNameLimit = 64;

    /// <summary>Throws a 400 naming the tool when a name cannot be offered through <paramref name="agent"/> with a prefix of <paramref name="prefixLength"/>.</summary>
    public static void Validate(IReadOnlyList<ToolDefinition> tools, string agent, int prefixLength)
    {
        var limit = ModelNameLimit - prefixLength;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var name = tools[i].Name;
            if (!NamePattern().IsMatch(name) || name.Length > limit)
            {
                throw new ChatBackendException(ChatErrorKind.BadRequest,
                    $"Tool name '{name}' cannot be offered through {agent}: use letters, digits, '_' and '-' only, at most {limit} characters.")
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

    /// <summary>
    /// The tools an agent is offered for a request: none for <c>tool_choice: none</c>; only the named one when a
    /// function is forced (the agents cannot be made to call it, but it is the only client tool they see); else all.
    /// </summary>
    public static IReadOnlyList<ToolDefinition> Offered(ChatRequest request) => request.ToolChoice switch
    {
        { Mode: ToolChoiceMode.None } => [],
        { Mode: ToolChoiceMode.Function, FunctionName: { } forced } when request.Tools.Any(t => t.Name == forced) => [.. request.Tools.Where(t => t.Name == forced)],
        _ => request.Tools,
    };

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
