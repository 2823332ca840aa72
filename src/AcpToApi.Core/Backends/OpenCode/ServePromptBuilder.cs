using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// Builds the <c>prompt_async</c> body. Each request gets a fresh session, so the client's conversation travels in the prompt:
/// system messages -> <c>system</c>; earlier turns -> one leading text part holding a tagged transcript
/// (<c>&lt;conversation&gt;&lt;user&gt;…&lt;/user&gt;&lt;assistant&gt;…&lt;/assistant&gt;&lt;tool …&gt;…&lt;/tool&gt;&lt;/conversation&gt;</c>);
/// the last user message -> its own parts (text as text parts, images as file parts), so the agent answers it.
/// </summary>
internal static class ServePromptBuilder
{
    public const string TranscriptIntro = "The conversation so far, for context (answer the final user message that follows it):";
    public const string ContinueText = "Continue the conversation above.";

    /// <param name="clientToolServer">The MCP server carrying this conversation's client tools, if it has any.</param>
    public static byte[] Build(ChatRequest request, ServeModelRef model, string? clientToolServer = null) => WireJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("model");
        w.WriteString("providerID", model.ProviderId);
        w.WriteString("modelID", model.ModelId);
        w.WriteEndObject();
        // The daemon offers every connected MCP server's tools to every session: each session sees the gateway's
        // client-tool servers switched off, except its own (the last matching rule wins).
        w.WriteStartObject("tools");
        w.WriteBoolean(ServeClientTools.AllServersPattern, false);
        if (clientToolServer is not null)
        {
            w.WriteBoolean(clientToolServer + "_*", true);
        }
        w.WriteEndObject();
        if (request.SystemText is { } system)
        {
            w.WriteString("system", system);
        }
        w.WriteStartArray("parts");
        WriteParts(w, request.Messages);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A short session title (the daemon would otherwise spend an LLM call inventing one).</summary>
    public static string Title(ChatRequest request)
    {
        var text = request.LastUserText.ReplaceLineEndings(" ").Trim();
        return "acptoapi: " + (text.Length > 60 ? text[..60] + "…" : text);
    }

    private static void WriteParts(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages)
    {
        var turns = messages.Where(m => m.Role != ChatRole.System).ToList();
        var last = turns.Count > 0 && turns[^1].Role == ChatRole.User ? turns[^1] : null;
        var history = last is null ? turns : turns.Take(turns.Count - 1).ToList();

        if (history.Count > 0)
        {
            WriteText(w, Transcript(history));
        }
        if (last is null)
        {
            WriteText(w, ContinueText);
            return;
        }
        var wroteAny = false;
        foreach (var part in last.Content)
        {
            switch (part)
            {
                case TextPart text when text.Text.Length > 0:
                    WriteText(w, text.Text);
                    wroteAny = true;
                    break;
                case ImagePart image:
                    w.WriteStartObject();
                    w.WriteString("type", "file");
                    w.WriteString("mime", image.MediaType ?? "image/png");
                    w.WriteString("url", image.ToUrl());
                    w.WriteString("filename", "image");
                    w.WriteEndObject();
                    wroteAny = true;
                    break;
            }
        }
        if (!wroteAny)
        {
            WriteText(w, ContinueText);
        }
    }

    /// <summary>The earlier turns as a tagged transcript.</summary>
    public static string Transcript(IEnumerable<ChatMessage> history)
    {
        var text = new StringBuilder(TranscriptIntro).Append("\n<conversation>\n");
        foreach (var message in history)
        {
            if (message.Role == ChatRole.Tool)
            {
                foreach (var result in message.ToolResults)
                {
                    text.Append($"<tool name=\"{result.Name ?? message.Name ?? "tool"}\" id=\"{result.ToolCallId}\">\n").Append(result.Text).Append("\n</tool>\n");
                }
                if (!message.ToolResults.Any())
                {
                    text.Append($"<tool name=\"{message.Name ?? "tool"}\">\n").Append(message.Text).Append("\n</tool>\n");
                }
                continue;
            }
            var role = message.Role.Value;
            text.Append('<').Append(role).Append(">\n");
            foreach (var part in message.Content)
            {
                switch (part)
                {
                    case TextPart t:
                        text.Append(t.Text);
                        break;
                    case ImagePart:
                        text.Append("[image]");
                        break;
                    case ToolCallPart call:
                        text.Append($"\n[tool call {call.Name} ({call.Id}): {call.ArgumentsJson}]");
                        break;
                    case ToolResultPart result:
                        text.Append($"\n[tool result {result.Name ?? "tool"} ({result.ToolCallId}): {result.Text}]");
                        break;
                }
            }
            text.Append("\n</").Append(role).Append(">\n");
        }
        return text.Append("</conversation>").ToString();
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }
}
