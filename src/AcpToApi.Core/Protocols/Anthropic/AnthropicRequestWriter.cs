using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>
/// Client side: writes a neutral request as a streaming Messages body. System messages are hoisted
/// into <c>system</c>; tool results become user <c>tool_result</c> blocks; reasoning goes back only
/// when it carries Anthropic's signature (unsigned thinking would be rejected).
/// </summary>
internal static class AnthropicRequestWriter
{
    public const int DefaultMaxTokens = 4096;

    public static byte[] Write(ChatRequest request) => WireJson.ToBytes(w => Write(w, request));

    public static void Write(Utf8JsonWriter w, ChatRequest request)
    {
        var thinkingBudget = request.ThinkingBudget ?? BudgetFor(request.ReasoningEffort);
        w.WriteStartObject();
        w.WriteString("model", request.Model);
        w.WriteNumber("max_tokens", request.MaxTokens ?? (thinkingBudget is { } budget ? budget + DefaultMaxTokens : DefaultMaxTokens));
        if (request.SystemText is { } system)
        {
            w.WriteString("system", system);
        }
        WireJson.WriteAlternatingTurns(w, request.Messages, WriteBlock);
        w.WriteBoolean("stream", true);
        if (thinkingBudget is { } thinking)
        {
            w.WriteStartObject("thinking");
            w.WriteString("type", "enabled");
            w.WriteNumber("budget_tokens", thinking);
            w.WriteEndObject();
        }
        WriteTools(w, request);
        if (request.Stop.Count > 0)
        {
            w.WriteStartArray("stop_sequences");
            foreach (var stop in request.Stop) w.WriteStringValue(stop);
            w.WriteEndArray();
        }
        // Anthropic rejects temperature together with extended thinking.
        if (request.Temperature is { } temperature && thinkingBudget is null) w.WriteNumber("temperature", Math.Min(temperature, 1.0));
        if (request.TopP is { } topP) w.WriteNumber("top_p", topP);
        if (request.TopK is { } topK) w.WriteNumber("top_k", topK);
        if (request.User is { } user)
        {
            w.WriteStartObject("metadata");
            w.WriteString("user_id", user);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>OpenAI clients ask for reasoning by effort; Anthropic by token budget.</summary>
    public static int? BudgetFor(string? effort) => effort switch
    {
        "minimal" or "low" => 1024,
        "medium" => 4096,
        "high" => 16384,
        _ => null,
    };

    /// <summary>One content block; also what the Claude Code CLI reads back from a session file.</summary>
    internal static void WriteBlock(Utf8JsonWriter w, ContentPart part)
    {
        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                break;
            case ImagePart image:
                WriteImageFields(w, image);
                break;
            case ReasoningPart reasoning:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", reasoning.Text);
                w.WriteString("signature", reasoning.Signature);
                break;
            case ToolCallPart call:
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                WireJson.WriteArgumentsObject(w, "input", call);
                break;
            case ToolResultPart result:
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", result.ToolCallId);
                w.WriteStartArray("content");
                foreach (var inner in result.Content.Where(p => p is TextPart or ImagePart))
                {
                    WriteBlock(w, inner);
                }
                w.WriteEndArray();
                if (result.IsError) w.WriteBoolean("is_error", true);
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>An image content block, whole: also what the Claude Code CLI takes on its stdin.</summary>
    internal static void WriteImageBlock(Utf8JsonWriter w, ImagePart image)
    {
        w.WriteStartObject();
        WriteImageFields(w, image);
        w.WriteEndObject();
    }

    private static void WriteImageFields(Utf8JsonWriter w, ImagePart image)
    {
        w.WriteString("type", "image");
        w.WriteStartObject("source");
        if (image.Base64Data is { } data)
        {
            w.WriteString("type", "base64");
            w.WriteString("media_type", image.MediaType ?? "image/png");
            w.WriteString("data", data);
        }
        else
        {
            w.WriteString("type", "url");
            w.WriteString("url", image.Url ?? "");
        }
        w.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter w, ChatRequest request)
    {
        if (request.Tools.Count == 0)
        {
            return;
        }
        w.WriteStartArray("tools");
        foreach (var tool in request.Tools)
        {
            w.WriteStartObject();
            w.WriteString("name", tool.Name);
            if (tool.Description is { } description) w.WriteString("description", description);
            WireJson.WriteObjectSchema(w, "input_schema", tool.Parameters);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (request.ToolChoice is null && request.ParallelToolCalls is not false)
        {
            return;
        }
        w.WriteStartObject("tool_choice");
        w.WriteString("type", request.ToolChoice?.Mode switch
        {
            ToolChoiceMode.Required => "any",
            ToolChoiceMode.None => "none",
            ToolChoiceMode.Function => "tool",
            _ => "auto",
        });
        if (request.ToolChoice is { Mode: ToolChoiceMode.Function, FunctionName: { } name }) w.WriteString("name", name);
        if (request.ParallelToolCalls is false) w.WriteBoolean("disable_parallel_tool_use", true);
        w.WriteEndObject();
    }
}
