namespace AcpToApi.Streaming;

/// <summary>
/// The neutral stream every backend produces, block-structured after Anthropic's events:
/// the richest protocol can be rendered into the poorer ones. Block indexes are contiguous from 0
/// and at most one block is open at a time.
/// </summary>
public abstract record ChatEvent;

/// <summary>First event of every response.</summary>
public sealed record ResponseStarted(string? ResponseId = null, string? Model = null) : ChatEvent;

/// <summary>A content block opens. Tool calls carry the call id and function name.</summary>
public sealed record BlockStarted(int Index, BlockKind Kind, string? ToolCallId = null, string? ToolName = null) : ChatEvent;

public sealed record TextDelta(int Index, string Text) : ChatEvent;

public sealed record ReasoningDelta(int Index, string Text) : ChatEvent;

/// <summary>The opaque signature of a reasoning block, to be returned upstream byte for byte.</summary>
public sealed record SignatureDelta(int Index, string Signature) : ChatEvent;

/// <summary>A fragment of a tool call's JSON arguments, forwarded as it arrives.</summary>
public sealed record ToolArgumentsDelta(int Index, string JsonFragment) : ChatEvent;

public sealed record BlockStopped(int Index) : ChatEvent;

/// <summary>Token counts so far; later reports replace earlier ones.</summary>
public sealed record UsageReported(ChatUsage Usage) : ChatEvent;

/// <summary>A keep-alive or progress note (for example an upstream retry); carries no content.</summary>
public sealed record Heartbeat(string? Note = null) : ChatEvent;

/// <summary>Last event of a complete response; <paramref name="StopSequence"/> is the matched one when the model stopped on a stop sequence.</summary>
public sealed record ResponseCompleted(StopReason StopReason, string? StopSequence = null) : ChatEvent;
