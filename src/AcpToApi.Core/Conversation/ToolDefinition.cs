using System.Text.Json;

namespace AcpToApi.Conversation;

/// <summary>A function the client offers the model; the schema stays opaque JSON.</summary>
internal sealed record ToolDefinition(string Name, string? Description, JsonElement? Parameters);
