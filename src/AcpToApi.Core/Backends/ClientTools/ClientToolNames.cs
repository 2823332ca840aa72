using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClientTools;

/// <summary>
/// Client tools reach an agent under a prefixed name (Claude Code: <c>mcp__gw__</c>; opencode/kilo: their MCP server's
/// name, at most <see cref="MaxPrefixLength"/> characters with its separator). The agents would silently rename a name
/// outside their alphabet (and drop one of two that collide), and the model APIs allow 64 characters: a name that is
/// not safe as it is (a Claude Code client's own <c>mcp__server__long_tool_name</c>, say) is offered as a safe prefix of
/// it plus a hash of the whole, and mapped back, so the client still only ever sees its own name.
/// </summary>
internal static partial class ClientToolNames
{
    public const int ModelNameLimit = 64;

    /// <summary>The longest prefix any agent puts before a client tool's name (opencode/kilo: <c>acptoapi65535_999_</c>).</summary>
    public const int MaxPrefixLength = 18;

    /// <summary>The longest name offered to an agent, so that prefixed it fits the model APIs' limit.</summary>
    public const int AgentNameLimit = ModelNameLimit - MaxPrefixLength;

    private const int HashLength = 8;

    /// <summary>The name the agent is offered for the client's tool <paramref name="clientName"/>: the name itself when it is
    /// safe, else its safe prefix, '_' and 8 hex digits of its SHA-256.</summary>
    public static string ForAgent(string clientName)
    {
        if (clientName.Length <= AgentNameLimit && NamePattern().IsMatch(clientName))
        {
            return clientName;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientName)))[..HashLength];
        var safe = UnsafeCharacters().Replace(clientName, "_");
        return safe[..Math.Min(safe.Length, AgentNameLimit - HashLength - 1)] + "_" + hash;
    }

    /// <summary>The client's name for <paramref name="agentName"/> among <paramref name="tools"/>; null when none is offered under it.</summary>
    public static string? ClientName(string agentName, IReadOnlyList<ToolDefinition> tools)
    {
        foreach (var tool in tools)
        {
            if (ForAgent(tool.Name) == agentName)
            {
                return tool.Name;
            }
        }
        return null;
    }

    /// <summary>Throws a 400 naming the tool for an empty name, or for two tools the agent could not tell apart.</summary>
    public static void Validate(IReadOnlyList<ToolDefinition> tools)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var name = tools[i].Name;
            if (name.Length == 0)
            {
                throw new ChatBackendException(ChatErrorKind.BadRequest, "A tool's name is empty.") { Param = $"tools[{i}].name", Code = "invalid_tool_name" };
            }
            if (!seen.TryAdd(ForAgent(name), name))
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

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex UnsafeCharacters();
}
