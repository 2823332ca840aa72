using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Turns <c>messages[]</c> into the CLI's input. The CLI's stream-json input takes user messages only (an
/// assistant line ends the run), so the conversation becomes one user message:
/// <list type="bullet">
/// <item>system messages, joined by blank lines, go to the system prompt file;</item>
/// <item>every earlier turn goes, in order, into a first text block wrapped in <c>&lt;conversation_history&gt;</c>,
/// one <c>&lt;user&gt;</c> / <c>&lt;assistant&gt;</c> / <c>&lt;tool_result&gt;</c> element per message, assistant tool calls as
/// <c>&lt;tool_call&gt;</c> elements;</item>
/// <item>the current turn (the messages after the last assistant message) follows as ordinary content blocks;</item>
/// <item>images become image blocks at their place in the order.</item>
/// </list>
/// Reasoning from earlier turns is dropped: the CLI cannot send signed thinking blocks back.
/// </summary>
public static class ClaudePromptBuilder
{
    public const string HistoryOpen = "<conversation_history>\n";
    public const string HistoryClose = "</conversation_history>\n";

    public static ClaudePrompt Build(ChatRequest request)
    {
        var turns = request.Messages.Where(m => m.Role != ChatRole.System).ToList();
        var lastAssistant = turns.FindLastIndex(m => m.Role == ChatRole.Assistant);
        var history = turns.Take(lastAssistant + 1).ToList();
        var current = turns.Skip(lastAssistant + 1).ToList();
        if (current.Count == 0 || current.All(m => m.Content.Count == 0))
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest,
                "The conversation must end with a user (or tool) message for the claude backend.")
            {
                Param = "messages",
            };
        }

        var blocks = new BlockList();
        if (history.Count > 0)
        {
            blocks.Text.Append(HistoryOpen);
            foreach (var message in history)
            {
                AppendHistoryMessage(blocks, message);
            }
            blocks.Text.Append(HistoryClose);
            blocks.FlushText();
        }
        foreach (var message in current)
        {
            AppendCurrentMessage(blocks, message);
        }
        blocks.FlushText();

        var line = Encoding.UTF8.GetString(WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "user");
            w.WriteStartObject("message");
            w.WriteString("role", "user");
            w.WriteStartArray("content");
            foreach (var block in blocks.Blocks)
            {
                block(w);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return new ClaudePrompt(line, request.SystemText ?? "");
    }

    private static void AppendHistoryMessage(BlockList blocks, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool || (message.Content.Count > 0 && message.Content.All(p => p is ToolResultPart)))
        {
            foreach (var result in message.ToolResults)
            {
                AppendToolResult(blocks.Text, result);
            }
            return;
        }
        var tag = message.Role == ChatRole.Assistant ? "assistant" : "user";
        blocks.Text.Append('<').Append(tag).Append(">\n");
        foreach (var part in message.Content)
        {
            switch (part)
            {
                case TextPart text:
                    blocks.Text.Append(text.Text);
                    break;
                case ImagePart image:
                    blocks.AddImage(image);
                    break;
                case ToolCallPart call:
                    blocks.Text.Append("\n<tool_call id=\"").Append(call.Id).Append("\" name=\"").Append(call.Name).Append("\">")
                        .Append(call.ArgumentsJson).Append("</tool_call>");
                    break;
                case ToolResultPart result:
                    AppendToolResult(blocks.Text, result);
                    break;
            }
        }
        blocks.Text.Append("\n</").Append(tag).Append(">\n");
    }

    private static void AppendCurrentMessage(BlockList blocks, ChatMessage message)
    {
        foreach (var part in message.Content)
        {
            switch (part)
            {
                case TextPart text:
                    blocks.Text.Append(text.Text);
                    blocks.FlushText();
                    break;
                case ImagePart image:
                    blocks.AddImage(image);
                    break;
                case ToolResultPart result:
                    AppendToolResult(blocks.Text, result);
                    blocks.FlushText();
                    break;
            }
        }
    }

    private static void AppendToolResult(StringBuilder text, ToolResultPart result)
    {
        text.Append("<tool_result id=\"").Append(result.ToolCallId).Append('"');
        if (result.Name is { Length: > 0 } name)
        {
            text.Append(" name=\"").Append(name).Append('"');
        }
        if (result.IsError)
        {
            text.Append(" is_error=\"true\"");
        }
        text.Append(">\n").Append(result.Text).Append("\n</tool_result>\n");
    }

    /// <summary>Content blocks in order; text is gathered and flushed into one block before each image.</summary>
    private sealed class BlockList
    {
        public StringBuilder Text { get; } = new();

        public List<Action<Utf8JsonWriter>> Blocks { get; } = [];

        public void FlushText()
        {
            if (Text.Length == 0)
            {
                return;
            }
            var value = Text.ToString();
            Text.Clear();
            Blocks.Add(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", value);
                w.WriteEndObject();
            });
        }

        public void AddImage(ImagePart image)
        {
            FlushText();
            Blocks.Add(w => AnthropicRequestWriter.WriteImageBlock(w, image));
        }
    }
}
