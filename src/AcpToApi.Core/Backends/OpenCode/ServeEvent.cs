using System.Text.Json;

namespace AcpToApi.Backends.OpenCode;

/// <summary>One event from the daemon's <c>GET /event</c> stream: its type, the session it concerns (if any) and its properties.</summary>
internal sealed record ServeEvent(string Type, string? SessionId, JsonElement Properties)
{
    /// <summary>Parses one SSE data payload; null for payloads that are not an event object (kilo's <c>sync</c> family has no properties).</summary>
    public static ServeEvent? Parse(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            {
                return new ServeEvent(type.GetString()!, null, default);
            }
            var sessionId = properties.TryGetProperty("sessionID", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            return new ServeEvent(type.GetString()!, sessionId, properties.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
