using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>Server side: turns a client's Messages request into the neutral <see cref="ChatRequest"/>.</summary>
internal static class AnthropicRequestReader
{
    public static ChatRequest Read(AnthropicMessagesRequest wire)
    {
        if (string.IsNullOrWhiteSpace(wire.Model))
        {
            throw Invalid("model: Field required (e.g. \"echo/hello\" or \"claude-sonnet-4-5\").", "model");
        }
        if (wire.Messages is null || wire.Messages.Count == 0)
        {
            throw Invalid("messages: at least one message is required.", "messages");
        }
        if (wire.MaxTokens is < 1)
        {
            throw Invalid("max_tokens: must be at least 1.", "max_tokens");
        }

        WireArrays.RejectNulls(wire.Messages, i => $"messages.{i}");
        WireArrays.RejectNulls(wire.Tools, i => $"tools.{i}");
        WireArrays.RejectNulls(wire.StopSequences, i => $"stop_sequences.{i}", "a string");
        var messages = new List<ChatMessage>(wire.Messages.Count + 1);
        var system = ReadSystem(wire.System);
        if (system.Count > 0)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < wire.Messages.Count; i++)
        {
            messages.Add(ReadMessage(wire.Messages[i], $"messages.{i}", toolNames));
        }

        return new ChatRequest
        {
            Model = wire.Model,
            Messages = messages,
            Tools = ReadTools(wire.Tools),
            ToolChoice = ReadToolChoice(wire.ToolChoice),
            ParallelToolCalls = wire.ToolChoice?.DisableParallelToolUse == true ? false : null,
            Temperature = wire.Temperature,
            TopP = wire.TopP,
            TopK = wire.TopK,
            MaxTokens = wire.MaxTokens,
            Stop = wire.StopSequences ?? [],
            User = wire.Metadata?.UserId,
            ThinkingBudget = wire.Thinking is { Type: "enabled" } thinking ? thinking.BudgetTokens ?? 1024 : null,
            Stream = wire.Stream ?? false,
        };
    }

    private static List<ContentPart> ReadSystem(JsonElement? system)
    {
        if (system is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() is { Length: > 0 } text ? [new TextPart(text)] : [];
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system: must be a string or an array of text blocks.", "system");
        }
        var parts = new List<ContentPart>();
        foreach (var block in element.EnumerateArray())
        {
            if (AnthropicBlocks.TypeOf(block) != "text" || !AnthropicBlocks.TryGetString(block, "text", out var text))
            {
                throw Invalid("system: only text blocks are allowed.", "system");
            }
            parts.Add(new TextPart(text));
        }
        return parts;
    }

    private static ChatMessage ReadMessage(AnthropicMessage message, string path, Dictionary<string, string> toolNames)
    {
        var role = message.Role switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            // Not in the published API, but Claude Code sends mid-conversation system messages; keep them in place.
            "system" => ChatRole.System,
            null => throw Invalid($"{path}.role: Field required.", $"{path}.role"),
            var other => throw Invalid($"{path}.role: '{other}' is not one of user, assistant, system.", $"{path}.role"),
        };
        if (message.Content is not { } content || content.ValueKind == JsonValueKind.Null)
        {
            throw Invalid($"{path}.content: Field required.", $"{path}.content");
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return ChatMessage.FromText(role, content.GetString()!);
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}.content: must be a string or an array of content blocks.", $"{path}.content");
        }

        var parts = new List<ContentPart>();
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (AnthropicBlocks.Read(block, $"{path}.content.{i++}", role, toolNames) is { } part)
            {
                parts.Add(part);
            }
        }
        return new ChatMessage(role, parts);
    }

    private static List<ToolDefinition> ReadTools(List<AnthropicTool>? tools)
    {
        var result = new List<ToolDefinition>();
        for (var i = 0; i < (tools?.Count ?? 0); i++)
        {
            var tool = tools![i];
            if (tool.Type is not (null or "custom"))
            {
                throw Invalid($"tools.{i}: server tool type '{tool.Type}' cannot be routed to other backends; only custom tools (name, description, input_schema) are supported.", $"tools.{i}.type");
            }
            if (string.IsNullOrEmpty(tool.Name))
            {
                throw Invalid($"tools.{i}.name: Field required.", $"tools.{i}.name");
            }
            result.Add(new ToolDefinition(tool.Name, tool.Description, tool.InputSchema));
        }
        return result;
    }

    private static ToolChoice? ReadToolChoice(AnthropicToolChoice? choice) => choice?.Type switch
    {
        null => null,
        "auto" => ToolChoice.Auto,
        "any" => ToolChoice.Required,
        "none" => ToolChoice.None,
        "tool" when !string.IsNullOrEmpty(choice.Name) => new ToolChoice(ToolChoiceMode.Function, choice.Name),
        "tool" => throw Invalid("tool_choice.name: Field required when type is 'tool'.", "tool_choice.name"),
        var other => throw Invalid($"tool_choice.type: '{other}' is not one of auto, any, tool, none.", "tool_choice.type"),
    };

    internal static ChatBackendException Invalid(string message, string param) =>
        new(ChatErrorKind.BadRequest, message) { Param = param, Code = "invalid_request_error" };
}
