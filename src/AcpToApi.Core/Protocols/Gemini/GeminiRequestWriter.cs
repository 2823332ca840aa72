using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Client side (for a gemini/ backend): writes a neutral request as a generateContent body; the model goes in the URL.</summary>
internal static class GeminiRequestWriter
{
    public static byte[] Write(ChatRequest request) => WireJson.ToBytes(w => Write(w, request));

    public static void Write(Utf8JsonWriter w, ChatRequest request)
    {
        var callNames = request.Messages.SelectMany(m => m.ToolCalls).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Name);
        w.WriteStartObject();
        w.WriteStartArray("contents");
        foreach (var message in request.Messages.Where(m => m.Role != ChatRole.System))
        {
            w.WriteStartObject();
            w.WriteString("role", message.Role == ChatRole.Assistant ? "model" : "user");
            w.WriteStartArray("parts");
            foreach (var part in message.Content)
            {
                WritePart(w, part, callNames);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (request.SystemText is { } system)
        {
            w.WriteStartObject("systemInstruction");
            w.WriteStartArray("parts");
            GeminiPartWriter.WriteText(w, system);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        WriteTools(w, request);
        WriteGenerationConfig(w, request);
        w.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter w, ContentPart part, Dictionary<string, string> callNames)
    {
        switch (part)
        {
            case TextPart text:
                GeminiPartWriter.WriteText(w, text.Text);
                break;
            case ReasoningPart reasoning:
                GeminiPartWriter.WriteThought(w, reasoning.Text, reasoning.Signature);
                break;
            case ImagePart { Base64Data: { } data } image:
                w.WriteStartObject();
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", image.MediaType ?? "image/png");
                w.WriteString("data", data);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case ImagePart image:
                w.WriteStartObject();
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", image.MediaType ?? "image/*");
                w.WriteString("fileUri", image.Url ?? "");
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case ToolCallPart call:
                GeminiPartWriter.WriteFunctionCall(w, call.Id, call.Name, call.ArgumentsJson);
                break;
            case ToolResultPart result:
                w.WriteStartObject();
                w.WriteStartObject("functionResponse");
                w.WriteString("id", result.ToolCallId);
                w.WriteString("name", result.Name ?? callNames.GetValueOrDefault(result.ToolCallId) ?? "");
                w.WriteStartObject("response");
                w.WriteString(result.IsError ? "error" : "output", result.Text);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatRequest request)
    {
        if (request.Tools.Count == 0)
        {
            return;
        }
        w.WriteStartArray("tools");
        w.WriteStartObject();
        w.WriteStartArray("functionDeclarations");
        foreach (var tool in request.Tools)
        {
            w.WriteStartObject();
            w.WriteString("name", tool.Name);
            if (tool.Description is { } description) w.WriteString("description", description);
            if (tool.Parameters is { } parameters)
            {
                w.WritePropertyName("parametersJsonSchema");
                parameters.WriteTo(w);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        if (request.ToolChoice is { } choice)
        {
            w.WriteStartObject("toolConfig");
            w.WriteStartObject("functionCallingConfig");
            w.WriteString("mode", choice.Mode switch
            {
                ToolChoiceMode.None => "NONE",
                ToolChoiceMode.Required or ToolChoiceMode.Function => "ANY",
                _ => "AUTO",
            });
            if (choice is { Mode: ToolChoiceMode.Function, FunctionName: { } name })
            {
                w.WriteStartArray("allowedFunctionNames");
                w.WriteStringValue(name);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void WriteGenerationConfig(Utf8JsonWriter w, ChatRequest request)
    {
        w.WriteStartObject("generationConfig");
        if (request.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        if (request.TopP is { } topP) w.WriteNumber("topP", topP);
        if (request.TopK is { } topK) w.WriteNumber("topK", topK);
        if (request.MaxTokens is { } maxTokens) w.WriteNumber("maxOutputTokens", maxTokens);
        if (request.Stop.Count > 0)
        {
            w.WriteStartArray("stopSequences");
            foreach (var stop in request.Stop) w.WriteStringValue(stop);
            w.WriteEndArray();
        }
        if (request.Seed is { } seed) w.WriteNumber("seed", seed);
        if (request.ResponseFormat is { } format && format.TryGetProperty("type", out var type))
        {
            if (type.ValueEquals("json_object") || type.ValueEquals("json_schema"))
            {
                w.WriteString("responseMimeType", "application/json");
            }
            if (type.ValueEquals("json_schema") && format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.TryGetProperty("schema", out var schema))
            {
                w.WritePropertyName("responseJsonSchema");
                schema.WriteTo(w);
            }
        }
        // Only when asked: models without thinking reject a thinkingConfig.
        if (request.ThinkingBudget is not null || request.ReasoningEffort is not null)
        {
            w.WriteStartObject("thinkingConfig");
            w.WriteBoolean("includeThoughts", true);
            if (request.ThinkingBudget is { } budget) w.WriteNumber("thinkingBudget", budget);
            else if (request.ReasoningEffort is { } effort) w.WriteString("thinkingLevel", effort.ToUpperInvariant());
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
