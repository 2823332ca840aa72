namespace AcpToApi.Streaming;

/// <summary>
/// The neutral stream every backend produces, block-structured after Anthropic's events:
/// the richest protocol can be rendered into the poorer ones. Block indexes are contiguous from 0
/// and at most one block is open at a time.
/// </summary>
internal abstract record ChatEvent;

/// <summary>First event of every response.</summary>
internal sealed record ResponseStarted(string? ResponseId = null, string? Model = null) : ChatEvent;

/// <summary>A content block opens. Tool calls carry the call id and function name.</summary>
internal sealed record BlockStarted(int Index, BlockKind Kind, string? ToolCallId = null, string? ToolName = null) : ChatEvent;

internal sealed record TextDelta(int Index, string Text) : ChatEvent;

internal sealed record ReasoningDelta(int Index, string Text) : ChatEvent;

/// <summary>The opaque signature of a reasoning block, to be returned upstream byte for byte.</summary>
internal sealed record SignatureDelta(int Index, string Signature) : ChatEvent;

/// <summary>A fragment of a tool call's JSON arguments, forwarded as it arrives.</summary>
internal sealed record ToolArgumentsDelta(int Index, string JsonFragment) : ChatEvent;

internal sealed record BlockStopped(int Index) : ChatEvent;

/// <summary>Token counts so far; later reports replace earlier ones.</summary>
internal sealed record UsageReported(ChatUsage Usage) : ChatEvent;

/// <summary>A keep-alive or progress note (for example an upstream retry); carries no content.</summary>
internal sealed record Heartbeat(string? Note = null) : ChatEvent;

/// <summary>Last event of a complete response; <paramref name="StopSequence"/> is the matched one when the model stopped on a stop sequence.</summary>
internal sealed record ResponseCompleted(StopReason StopReason, string? StopSequence = null) : ChatEvent;
