using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Client tools reach Claude Code through the gateway's MCP server, named <c>gw</c>, so the model sees
/// <c>mcp__gw__&lt;agent name&gt;</c> (see <see cref="ClientToolNames.ForAgent"/>); the client only ever sees its own name.
/// </summary>
internal static class ClaudeToolNames
{
    public const string Server = "gw";
    public const string Prefix = "mcp__" + Server + "__";

    public static string ForModel(string clientName) => Prefix + ClientToolNames.ForAgent(clientName);

    public static bool IsClientTool(string modelName) => modelName.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The client's name of a tool the model called, or null for a tool that is not the client's.</summary>
    public static string? ForClient(string modelName, IReadOnlyList<ToolDefinition> tools) =>
        IsClientTool(modelName) ? ClientToolNames.ClientName(modelName[Prefix.Length..], tools) ?? modelName[Prefix.Length..] : null;

    public static void Validate(IReadOnlyList<ToolDefinition> tools) => ClientToolNames.Validate(tools);
}
