using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// Writes a neutral request as a Converse / ConverseStream body. System messages are hoisted into
/// <c>system</c>; tool results become user <c>toolResult</c> blocks; consecutive turns of one role are
/// merged (Converse wants user and assistant to alternate); reasoning goes back only with its signature.
/// </summary>
internal static class BedrockRequestWriter
{
    public static byte[] Write(ChatRequest request) => WireJson.ToBytes(w => Write(w, request));

    public static void Write(Utf8JsonWriter w, ChatRequest request)
    {
        var thinkingBudget = IsClaude(request.Model) ? request.ThinkingBudget ?? AnthropicRequestWriter.BudgetFor(request.ReasoningEffort) : null;
        w.WriteStartObject();
        WireJson.WriteAlternatingTurns(w, request.Messages, WriteBlock);
        if (request.SystemText is { } system)
        {
            w.WriteStartArray("system");
            w.WriteStartObject();
            w.WriteString("text", system);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        WriteInferenceConfig(w, request, thinkingBudget);
        WriteToolConfig(w, request);
        if (thinkingBudget is { } budget)
        {
            w.WriteStartObject("additionalModelRequestFields");
            w.WriteStartObject("thinking");
            w.WriteString("type", "enabled");
            w.WriteNumber("budget_tokens", budget);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Claude on Bedrock: <c>anthropic.claude-…</c>, or a cross-region profile such as <c>us.anthropic.claude-…</c>.</summary>
    public static bool IsClaude(string model) => model.Contains("anthropic.", StringComparison.OrdinalIgnoreCase);

    private static void WriteBlock(Utf8JsonWriter w, ContentPart part)
    {
        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("text", text.Text);
                break;
            case ImagePart image:
                WriteImage(w, image);
                break;
            case ReasoningPart reasoning:
                w.WriteStartObject("reasoningContent");
                w.WriteStartObject("reasoningText");
                w.WriteString("text", reasoning.Text);
                w.WriteString("signature", reasoning.Signature);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case ToolCallPart call:
                w.WriteStartObject("toolUse");
                w.WriteString("toolUseId", call.Id);
                w.WriteString("name", call.Name);
                WireJson.WriteArgumentsObject(w, "input", call);
                w.WriteEndObject();
                break;
            case ToolResultPart result:
                w.WriteStartObject("toolResult");
                w.WriteString("toolUseId", result.ToolCallId);
                w.WriteStartArray("content");
                foreach (var inner in result.Content.Where(p => p is TextPart or ImagePart))
                {
                    WriteBlock(w, inner);
                }
                if (!result.Content.Any(p => p is TextPart or ImagePart))
                {
                    w.WriteStartObject();
                    w.WriteString("text", "");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("status", result.IsError ? "error" : "success");
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter w, ImagePart image)
    {
        if (image.Base64Data is not { } data)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest, "bedrock accepts only inline (base64 data: URL) images, not image URLs.") { Param = "messages" };
        }
        w.WriteStartObject("image");
        w.WriteString("format", (image.MediaType ?? "image/png").Split('/')[^1] switch
        {
            "jpg" => "jpeg",
            var other => other,
        });
        w.WriteStartObject("source");
        w.WriteString("bytes", data);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteInferenceConfig(Utf8JsonWriter w, ChatRequest request, int? thinkingBudget)
    {
        var maxTokens = request.MaxTokens ?? (thinkingBudget is { } budget ? budget + AnthropicRequestWriter.DefaultMaxTokens : null);
        // Claude rejects temperature and top_p together with extended thinking.
        var temperature = thinkingBudget is null ? request.Temperature : null;
        var topP = thinkingBudget is null ? request.TopP : null;
        if (maxTokens is null && temperature is null && topP is null && request.Stop.Count == 0)
        {
            return;
        }
        w.WriteStartObject("inferenceConfig");
        if (maxTokens is { } max) w.WriteNumber("maxTokens", max);
        if (temperature is { } t) w.WriteNumber("temperature", t);
        if (topP is { } p) w.WriteNumber("topP", p);
        if (request.Stop.Count > 0)
        {
            w.WriteStartArray("stopSequences");
            foreach (var stop in request.Stop) w.WriteStringValue(stop);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteToolConfig(Utf8JsonWriter w, ChatRequest request)
    {
        if (request.Tools.Count == 0)
        {
            return;
        }
        w.WriteStartObject("toolConfig");
        w.WriteStartArray("tools");
        foreach (var tool in request.Tools)
        {
            w.WriteStartObject();
            w.WriteStartObject("toolSpec");
            w.WriteString("name", tool.Name);
            if (tool.Description is { Length: > 0 } description) w.WriteString("description", description);
            w.WriteStartObject("inputSchema");
            WireJson.WriteObjectSchema(w, "json", tool.Parameters);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        // Converse has no "none": the tools stay declared (history may hold toolUse blocks) and no choice is sent.
        switch (request.ToolChoice)
        {
            case { Mode: ToolChoiceMode.Auto }:
                WriteChoice(w, "auto", null);
                break;
            case { Mode: ToolChoiceMode.Required }:
                WriteChoice(w, "any", null);
                break;
            case { Mode: ToolChoiceMode.Function, FunctionName: { } name }:
                WriteChoice(w, "tool", name);
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter w, string kind, string? name)
    {
        w.WriteStartObject("toolChoice");
        w.WriteStartObject(kind);
        if (name is not null) w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
