namespace AcpToApi.Backends.Bedrock;

/// <summary>One decoded event-stream message: its <c>:message-type</c>, event or exception type, and JSON payload.</summary>
internal sealed record BedrockStreamMessage(string MessageType, string? EventType, string? ExceptionType, byte[] Payload);
