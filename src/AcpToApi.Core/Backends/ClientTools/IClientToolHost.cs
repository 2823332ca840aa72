using AcpToApi.Conversation;

namespace AcpToApi.Backends.ClientTools;

/// <summary>
/// Serves a client's tools to an agent (claude, opencode, kilo) as an MCP server on loopback. Each conversation gets an
/// endpoint of its own, whose URL is a capability: only that agent knows it.
/// </summary>
internal interface IClientToolHost
{
    /// <summary>A new endpoint offering <paramref name="tools"/>; disposing it cancels every call still open on it.</summary>
    ClientToolEndpoint Open(IReadOnlyList<ToolDefinition> tools);
}
