using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;

namespace AcpToApi.Backends.AgentSessions;

/// <summary>
/// A fingerprint of a conversation as a continuation would see it: the model, the system text, the tools and every
/// turn's text, tool calls (arguments compared as JSON, not as bytes) and tool results. Reasoning is left out: clients
/// drop or reshape it. Two requests with equal keys hold the same conversation, so an agent kept for one can continue
/// the other; any difference (an edited message, another system prompt) gives another key, and the history is replayed.
/// </summary>
internal static class ConversationKey
{
    public static string Of(string model, IReadOnlyList<ToolDefinition> tools, IEnumerable<ChatMessage> messages)
    {
        var bytes = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                w.WriteStartArray();
                w.WriteStringValue(tool.Name);
                w.WriteStringValue(tool.Description);
                WriteJson(w, tool.Parameters?.GetRawText());
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("messages");
            foreach (var message in messages)
            {
                WriteMessage(w, message);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>The messages after the last assistant turn: what a request adds to the conversation it continues.</summary>
    public static int NewInputStart(IReadOnlyList<ChatMessage> messages) => messages.Count == 0 ? 0 : LastAssistant(messages) + 1;

    /// <summary>
    /// The tool results a request's new input consists of (the continuation of a turn that stopped on the client's
    /// tools), or null when the new input brings anything else.
    /// </summary>
    public static IReadOnlyList<ToolResultPart>? NewToolResults(IReadOnlyList<ChatMessage> messages)
    {
        var newInput = messages.Skip(NewInputStart(messages)).Where(m => m.Role != ChatRole.System).ToList();
        var results = newInput.SelectMany(m => m.ToolResults).ToList();
        return results.Count > 0 && newInput.All(m => m.Content.All(p => p is ToolResultPart)) ? results : null;
    }

    private static int LastAssistant(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                return i;
            }
        }
        return -1;
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartArray();
        w.WriteStringValue(message.Role.Value);
        var text = new StringBuilder();
        foreach (var part in message.Content)
        {
            switch (part)
            {
                case TextPart t:
                    text.Append(t.Text);
                    break;
                case ImagePart image:
                    Flush(w, text);
                    w.WriteStringValue("image:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image.ToUrl()))));
                    break;
                case ToolCallPart call:
                    Flush(w, text);
                    w.WriteStartArray();
                    w.WriteStringValue(call.Id);
                    w.WriteStringValue(call.Name);
                    WriteJson(w, call.ArgumentsJson);
                    w.WriteEndArray();
                    break;
                case ToolResultPart result:
                    Flush(w, text);
                    w.WriteStartArray();
                    w.WriteStringValue(result.ToolCallId);
                    w.WriteStringValue(result.Text);
                    w.WriteBooleanValue(result.IsError);
                    w.WriteEndArray();
                    break;
            }
        }
        Flush(w, text);
        w.WriteEndArray();
    }

    private static void Flush(Utf8JsonWriter w, StringBuilder text)
    {
        if (text.Length > 0)
        {
            w.WriteStringValue(text.ToString());
            text.Clear();
        }
    }

    /// <summary>JSON compared by value: re-serialized compactly, so a client's re-formatting does not change the key.</summary>
    private static void WriteJson(Utf8JsonWriter w, string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            w.WriteNullValue();
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            document.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            w.WriteStringValue(json);
        }
    }
}
