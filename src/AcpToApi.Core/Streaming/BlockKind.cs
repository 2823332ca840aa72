namespace AcpToApi.Streaming;

internal enum BlockKind
{
    Text,
    Reasoning,
    ToolCall,

    /// <summary>Output of a tool an agent backend ran itself; its text arrives as <see cref="TextDelta"/>.</summary>
    ToolResult,
}
