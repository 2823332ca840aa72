using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Client tools reach Claude Code through the gateway's MCP server, named <c>gw</c>, so the model sees
/// <c>mcp__gw__&lt;name&gt;</c>; the client only ever sees its own name. Names must already be in Claude Code's alphabet
/// (it would silently rename, and drop one of two names that collide) and short enough for the API's 64 characters.
/// </summary>
internal static class ClaudeToolNames
{
    public const string Server = "gw";
    public const string Prefix = "mcp__" + Server + "__";

    public static string ForModel(string clientName) => Prefix + clientName;

    /// <summary>The client's name of a tool the model called, or null for a tool that is not the client's.</summary>
    public static string? ForClient(string modelName) => modelName.StartsWith(Prefix, StringComparison.Ordinal) ? modelName[Prefix.Length..] : null;

    public static void Validate(IReadOnlyList<ToolDefinition> tools) => ClientToolNames.Validate(tools, "Claude Code", Prefix.Length);
}
