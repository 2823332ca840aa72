using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>Server side: turns a client's chat-completions request into the neutral <see cref="ChatRequest"/>.</summary>
internal static class OpenAIRequestReader
{
    public static ChatRequest Read(OpenAIChatRequest wire)
    {
        if (string.IsNullOrWhiteSpace(wire.Model))
        {
            throw Invalid("The 'model' field is required, e.g. \"echo/hello\".", "model", "missing_required_parameter");
        }
        if (wire.Messages is null || wire.Messages.Count == 0)
        {
            throw Invalid("The 'messages' field is required and must hold at least one message.", "messages", "missing_required_parameter");
        }
        if (wire.N is > 1)
        {
            throw Invalid($"n={wire.N} is not supported: every backend returns exactly one choice. Send n=1 or omit it.", "n", "unsupported_parameter");
        }
        if (wire.N is < 1)
        {
            throw Invalid("n must be at least 1.", "n", "invalid_value");
        }

        WireArrays.RejectNulls(wire.Messages, i => $"messages[{i}]");
        WireArrays.RejectNulls(wire.Tools, i => $"tools[{i}]");
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var messages = new List<ChatMessage>(wire.Messages.Count);
        for (var i = 0; i < wire.Messages.Count; i++)
        {
            messages.Add(ReadMessage(wire.Messages[i], i, toolNames));
        }

        return new ChatRequest
        {
            Model = wire.Model,
            Messages = messages,
            Tools = ReadTools(wire.Tools),
            ToolChoice = ReadToolChoice(wire.ToolChoice),
            ParallelToolCalls = wire.ParallelToolCalls,
            Temperature = wire.Temperature,
            TopP = wire.TopP,
            MaxTokens = ReadMaxTokens(wire.MaxCompletionTokens ?? wire.MaxTokens),
            Stop = ReadStop(wire.Stop),
            Seed = wire.Seed,
            ResponseFormat = wire.ResponseFormat is { ValueKind: JsonValueKind.Object } format ? format : null,
            User = wire.User,
            ReasoningEffort = wire.ReasoningEffort,
            Stream = wire.Stream ?? false,
        };
    }

    private static ChatMessage ReadMessage(OpenAIMessage message, int index, Dictionary<string, string> toolNames)
    {
        var param = $"messages[{index}]";
        switch (message.Role)
        {
            case "system" or "developer":
                return new ChatMessage(ChatRole.System, OpenAIContentReader.Read(message.Content, param, allowImages: false), message.Name);
            case "user":
                return new ChatMessage(ChatRole.User, OpenAIContentReader.Read(message.Content, param, allowImages: true), message.Name);
            case "assistant":
                return ReadAssistant(message, param, toolNames);
            case "tool":
                if (string.IsNullOrEmpty(message.ToolCallId))
                {
                    throw Invalid($"{param}: a 'tool' message needs 'tool_call_id'.", $"{param}.tool_call_id", "missing_required_parameter");
                }
                var output = OpenAIContentReader.Read(message.Content, param, allowImages: true);
                toolNames.TryGetValue(message.ToolCallId, out var name);
                return new ChatMessage(ChatRole.Tool, [new ToolResultPart(message.ToolCallId, message.Name ?? name, output)], message.Name);
            case null:
                throw Invalid($"{param}: 'role' is required.", $"{param}.role", "missing_required_parameter");
            default:
                throw Invalid($"{param}: unknown role '{message.Role}' (expected system, developer, user, assistant or tool).", $"{param}.role", "invalid_value");
        }
    }

    private static ChatMessage ReadAssistant(OpenAIMessage message, string param, Dictionary<string, string> toolNames)
    {
        var parts = new List<ContentPart>();
        if (!string.IsNullOrEmpty(message.ReasoningContent))
        {
            parts.Add(new ReasoningPart(message.ReasoningContent));
        }
        parts.AddRange(OpenAIContentReader.Read(message.Content, param, allowImages: false));
        WireArrays.RejectNulls(message.ToolCalls, i => $"{param}.tool_calls[{i}]");
        foreach (var call in message.ToolCalls ?? [])
        {
            if (string.IsNullOrEmpty(call.Id) || string.IsNullOrEmpty(call.Function?.Name))
            {
                throw Invalid($"{param}.tool_calls: every call needs 'id' and 'function.name'.", $"{param}.tool_calls", "invalid_value");
            }
            toolNames[call.Id] = call.Function.Name;
            parts.Add(new ToolCallPart(call.Id, call.Function.Name, call.Function.Arguments ?? "{}"));
        }
        return new ChatMessage(ChatRole.Assistant, parts, message.Name);
    }

    private static List<ToolDefinition> ReadTools(List<OpenAITool>? tools)
    {
        var result = new List<ToolDefinition>();
        foreach (var (tool, i) in (tools ?? []).Select((t, i) => (t, i)))
        {
            if (tool.Type is not (null or "function") || string.IsNullOrEmpty(tool.Function?.Name))
            {
                throw Invalid($"tools[{i}]: only {{\"type\":\"function\",\"function\":{{\"name\",…}}}} tools are supported.", $"tools[{i}]", "invalid_value");
            }
            result.Add(new ToolDefinition(tool.Function.Name, tool.Function.Description, tool.Function.Parameters));
        }
        return result;
    }

    private static ToolChoice? ReadToolChoice(JsonElement? choice)
    {
        if (choice is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw Invalid($"tool_choice '{other}' is not one of auto, none, required.", "tool_choice", "invalid_value"),
            };
        }
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("function", out var function)
            && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name)
            && name.ValueKind == JsonValueKind.String)
        {
            return new ToolChoice(ToolChoiceMode.Function, name.GetString());
        }
        throw Invalid("tool_choice must be a string or {\"type\":\"function\",\"function\":{\"name\"}}.", "tool_choice", "invalid_value");
    }

    private static int? ReadMaxTokens(int? value) => value switch
    {
        null => null,
        < 1 => throw Invalid("max_tokens must be at least 1.", "max_tokens", "invalid_value"),
        _ => value,
    };

    private static List<string> ReadStop(JsonElement? stop)
    {
        if (stop is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }
        if (element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return element.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        throw Invalid("stop must be a string or an array of strings.", "stop", "invalid_type");
    }

    internal static ChatBackendException Invalid(string message, string param, string code) =>
        new(ChatErrorKind.BadRequest, message) { Param = param, Code = code };
}
