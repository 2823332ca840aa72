using System.Globalization;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// The MCP servers through which opencode/kilo get a conversation's client tools: one per conversation with tools, added
/// to the daemon at run time and named <c>acptoapi&lt;gateway port&gt;_&lt;n&gt;</c>, so the model sees
/// <c>acptoapi4800_1_get_weather</c> (the daemon joins server and tool names with <c>_</c>). The serve API can
/// disconnect a server but not remove it, so names are reused: <c>n</c> is the lowest number free right now, and the
/// daemon keeps at most as many (disconnected) entries as conversations once had tools at the same time. The port tells
/// gateways sharing a daemon apart; a restarted gateway takes its old names over.
/// </summary>
internal sealed class ServeClientTools
{
    /// <summary>Every server of every gateway: a tools-map rule that switches them all off.</summary>
    public const string AllServersPattern = "acptoapi*";

    private readonly SortedSet<int> _returned = [];
    private readonly Lock _gate = new();
    private int _next = 1;

    /// <summary>A server name no live conversation of this gateway uses.</summary>
    public string Rent(int gatewayPort)
    {
        int n;
        lock (_gate)
        {
            if (_returned.Count > 0)
            {
                n = _returned.Min;
                _returned.Remove(n);
            }
            else
            {
                n = _next++;
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"acptoapi{gatewayPort}_{n}");
    }

    public void Return(string server)
    {
        if (int.TryParse(server.AsSpan(server.LastIndexOf('_') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            lock (_gate)
            {
                _returned.Add(n);
            }
        }
    }

    /// <summary>The agent's name of a tool the model called through <paramref name="server"/>, or null for any other tool.</summary>
    public static string? AgentName(string? server, string modelName) =>
        server is not null && modelName.Length > server.Length + 1 && modelName.StartsWith(server, StringComparison.Ordinal) && modelName[server.Length] == '_'
            ? modelName[(server.Length + 1)..]
            : null;

    /// <summary>The client's name of a tool the model called through <paramref name="server"/>, or null for any other tool.</summary>
    public static string? ClientName(string? server, string modelName, IReadOnlyList<ToolDefinition> tools) =>
        AgentName(server, modelName) is { } agentName ? ClientToolNames.ClientName(agentName, tools) ?? agentName : null;
}
