namespace AcpToApi.Streaming;

/// <summary>
/// How output of a tool that an agent backend ran itself is folded into plain assistant text,
/// for protocols that have no place for it. Documented in the README; the same for every backend.
/// </summary>
internal static class ToolResultMarker
{
    public static string Open(string? toolName, string? toolCallId) =>
        $"\n\n[tool result: {toolName ?? "tool"}{(string.IsNullOrEmpty(toolCallId) ? "" : $" ({toolCallId})")}]\n";

    public const string Close = "\n[/tool result]\n\n";

    public static string Format(string? toolName, string? toolCallId, string output) => Open(toolName, toolCallId) + output + Close;
}
