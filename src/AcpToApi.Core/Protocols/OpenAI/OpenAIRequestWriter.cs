using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Client side: writes a neutral request as an OpenAI chat-completions body (always streaming, usage requested).</summary>
internal static class OpenAIRequestWriter
{
    public static byte[] Write(ChatRequest request, bool useMaxCompletionTokens = false)
    {
        return WireJson.ToBytes(w => Write(w, request, useMaxCompletionTokens));
    }

    public static void Write(Utf8JsonWriter w, ChatRequest request, bool useMaxCompletionTokens)
    {
        w.WriteStartObject();
        w.WriteString("model", request.Model);
        w.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            WriteMessage(w, message);
        }
        w.WriteEndArray();
        w.WriteBoolean("stream", true);
        w.WriteStartObject("stream_options");
        w.WriteBoolean("include_usage", true);
        w.WriteEndObject();
        WriteTools(w, request);
        if (request.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        if (request.TopP is { } topP) w.WriteNumber("top_p", topP);
        if (request.MaxTokens is { } maxTokens) w.WriteNumber(useMaxCompletionTokens ? "max_completion_tokens" : "max_tokens", maxTokens);
        if (request.Stop.Count > 0)
        {
            w.WriteStartArray("stop");
            foreach (var stop in request.Stop) w.WriteStringValue(stop);
            w.WriteEndArray();
        }
        if (request.Seed is { } seed) w.WriteNumber("seed", seed);
        if (request.User is { } user) w.WriteString("user", user);
        if (request.ResponseFormat is { } format)
        {
            w.WritePropertyName("response_format");
            format.WriteTo(w);
        }
        if (request.ReasoningEffort is { } effort) w.WriteString("reasoning_effort", effort);
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        // Tool results become one "tool" message each, wherever the client protocol put them.
        foreach (var result in message.ToolResults)
        {
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("tool_call_id", result.ToolCallId);
            // The client's own name round-trips; one looked up from the call is not added (strict servers reject it).
            if (message.Role == ChatRole.Tool && message.Name is { } clientName) w.WriteString("name", clientName);
            w.WriteString("content", result.Text);
            w.WriteEndObject();
        }

        var content = message.Content.Where(p => p is TextPart or ImagePart).ToList();
        var calls = message.ToolCalls.ToList();
        if (message.Role == ChatRole.Tool || (content.Count == 0 && calls.Count == 0 && message.ToolResults.Any()))
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("role", message.Role == ChatRole.Assistant ? "assistant" : message.Role == ChatRole.System ? "system" : "user");
        if (message.Name is { } name) w.WriteString("name", name);
        if (content.Count == 0 && calls.Count > 0)
        {
            w.WriteNull("content");
        }
        else if (content.All(p => p is TextPart))
        {
            // Separate text blocks (Anthropic system blocks, reminders) stay visibly separate.
            w.WriteString("content", string.Join("\n\n", content.Cast<TextPart>().Select(p => p.Text)));
        }
        else
        {
            WriteParts(w, content);
        }
        if (calls.Count > 0)
        {
            OpenAIToolCallWriter.Write(w, calls);
        }
        w.WriteEndObject();
    }

    private static void WriteParts(Utf8JsonWriter w, List<ContentPart> parts)
    {
        w.WriteStartArray("content");
        foreach (var part in parts)
        {
            w.WriteStartObject();
            if (part is TextPart text)
            {
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
            }
            else if (part is ImagePart image)
            {
                w.WriteString("type", "image_url");
                w.WriteStartObject("image_url");
                w.WriteString("url", image.ToUrl());
                if (image.Detail is { } detail) w.WriteString("detail", detail);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteTools(Utf8JsonWriter w, ChatRequest request)
    {
        if (request.Tools.Count > 0)
        {
            w.WriteStartArray("tools");
            foreach (var tool in request.Tools)
            {
                w.WriteStartObject();
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", tool.Name);
                if (tool.Description is { } description) w.WriteString("description", description);
                if (tool.Parameters is { } parameters)
                {
                    w.WritePropertyName("parameters");
                    parameters.WriteTo(w);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (request.ParallelToolCalls is { } parallel) w.WriteBoolean("parallel_tool_calls", parallel);
        }
        switch (request.ToolChoice)
        {
            case null:
                break;
            case { Mode: ToolChoiceMode.Function, FunctionName: { } name }:
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", name);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case { Mode: var mode }:
                w.WriteString("tool_choice", mode switch
                {
                    ToolChoiceMode.None => "none",
                    ToolChoiceMode.Required => "required",
                    _ => "auto",
                });
                break;
        }
    }
}
