using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;

namespace AcpToApi.Backends.Ollama;

/// <summary>
/// Writes a neutral request as an Ollama <c>/api/chat</c> streaming body. Tool call arguments go as
/// JSON objects (Ollama rejects strings there); each tool result becomes its own <c>tool</c> message
/// carrying <c>tool_name</c>, since Ollama has no call ids.
/// </summary>
internal static class OllamaRequestWriter
{
    public static byte[] Write(ChatRequest request) => WireJson.ToBytes(w => Write(w, request));

    public static void Write(Utf8JsonWriter w, ChatRequest request)
    {
        var toolNames = request.Messages.SelectMany(m => m.ToolCalls).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Name);
        w.WriteStartObject();
        w.WriteString("model", request.Model);
        w.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            WriteMessage(w, message, toolNames);
        }
        w.WriteEndArray();
        w.WriteBoolean("stream", true);
        WriteTools(w, request.Tools);
        if ((request.ReasoningEffort is { } effort && effort != "none") || request.ThinkingBudget is > 0)
        {
            w.WriteBoolean("think", true);
        }
        WriteFormat(w, request.ResponseFormat);
        WriteOptions(w, request);
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message, Dictionary<string, string> toolNames)
    {
        foreach (var result in message.ToolResults)
        {
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("content", result.Text);
            if ((result.Name ?? toolNames.GetValueOrDefault(result.ToolCallId)) is { } name) w.WriteString("tool_name", name);
            w.WriteEndObject();
        }
        var parts = message.Content.Where(p => p is not ToolResultPart).ToList();
        if (parts.Count == 0 && message.ToolResults.Any())
        {
            return;
        }
        w.WriteStartObject();
        w.WriteString("role", message.Role == ChatRole.Tool ? "tool" : message.Role.Value);
        w.WriteString("content", string.Concat(parts.OfType<TextPart>().Select(p => p.Text)));
        if (string.Concat(parts.OfType<ReasoningPart>().Select(p => p.Text)) is { Length: > 0 } thinking) w.WriteString("thinking", thinking);
        var images = parts.OfType<ImagePart>().ToList();
        if (images.Count > 0)
        {
            w.WriteStartArray("images");
            foreach (var image in images)
            {
                w.WriteStringValue(image.Base64Data ?? throw new ChatBackendException(ChatErrorKind.BadRequest,
                    "ollama accepts only inline (base64 data: URL) images, not image URLs.") { Param = "messages" });
            }
            w.WriteEndArray();
        }
        var calls = parts.OfType<ToolCallPart>().ToList();
        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                w.WriteStartObject();
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                WireJson.WriteArgumentsObject(w, "arguments", call);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter w, IReadOnlyList<ToolDefinition> tools)
    {
        if (tools.Count == 0)
        {
            return;
        }
        w.WriteStartArray("tools");
        foreach (var tool in tools)
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", tool.Name);
            if (tool.Description is { } description) w.WriteString("description", description);
            WireJson.WriteObjectSchema(w, "parameters", tool.Parameters);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>OpenAI's response_format: json_object becomes "json", json_schema its schema.</summary>
    private static void WriteFormat(Utf8JsonWriter w, JsonElement? responseFormat)
    {
        if (responseFormat is not { ValueKind: JsonValueKind.Object } format || !format.TryGetProperty("type", out var type))
        {
            return;
        }
        if (type.ValueEquals("json_object"))
        {
            w.WriteString("format", "json");
        }
        else if (type.ValueEquals("json_schema") && format.TryGetProperty("json_schema", out var holder)
            && holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("schema", out var schema))
        {
            w.WritePropertyName("format");
            schema.WriteTo(w);
        }
    }

    private static void WriteOptions(Utf8JsonWriter w, ChatRequest request)
    {
        if (request is { Temperature: null, TopP: null, TopK: null, MaxTokens: null, Seed: null, Stop.Count: 0 })
        {
            return;
        }
        w.WriteStartObject("options");
        if (request.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        if (request.TopP is { } topP) w.WriteNumber("top_p", topP);
        if (request.TopK is { } topK) w.WriteNumber("top_k", topK);
        if (request.MaxTokens is { } maxTokens) w.WriteNumber("num_predict", maxTokens);
        if (request.Seed is { } seed) w.WriteNumber("seed", seed);
        if (request.Stop.Count > 0)
        {
            w.WriteStartArray("stop");
            foreach (var stop in request.Stop) w.WriteStringValue(stop);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
