using System.Text.Json;
using AcpToApi.Conversation;
using static AcpToApi.Protocols.Responses.ResponsesRequestReader;

namespace AcpToApi.Protocols.Responses;

/// <summary>
/// Function tools become the request's tools; every other tool type (hosted tools such as <c>web_search</c>,
/// freeform <c>custom</c> tools, <c>namespace</c> groups, <c>tool_search</c>, …) is dropped and named, never a failure:
/// agents such as Codex always send some.
/// </summary>
internal static class ResponsesToolReader
{
    public static (List<ToolDefinition> Tools, List<string> Dropped) ReadTools(List<JsonElement>? wire)
    {
        var tools = new List<ToolDefinition>();
        var dropped = new List<string>();
        for (var i = 0; i < (wire?.Count ?? 0); i++)
        {
            var tool = wire![i];
            var param = $"tools[{i}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{param} must be an object.", param, "invalid_type");
            }
            var type = Str(tool, "type");
            if (type != "function")
            {
                dropped.Add(Str(tool, "name") is { } name ? $"{type ?? "untyped"}:{name}" : type ?? "untyped");
                continue;
            }
            // The Responses shape is flat; accept the chat-completions shape ({"function":{…}}) too.
            var function = tool.TryGetProperty("function", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : tool;
            var toolName = Str(function, "name") is { Length: > 0 } n ? n : throw Invalid($"{param}: a function tool needs 'name'.", $"{param}.name", "missing_required_parameter");
            var parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : (JsonElement?)null;
            tools.Add(new ToolDefinition(toolName, Str(function, "description"), parameters));
        }
        return (tools, dropped);
    }

    public static ToolChoice? ReadToolChoice(JsonElement? wire) => wire switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString() switch
        {
            "auto" => ToolChoice.Auto,
            "none" => ToolChoice.None,
            "required" => ToolChoice.Required,
            var other => throw Invalid($"tool_choice '{other}' is not one of auto, none, required.", "tool_choice", "invalid_value"),
        },
        { ValueKind: JsonValueKind.Object } choice => Str(choice, "type") switch
        {
            "function" => new ToolChoice(ToolChoiceMode.Function,
                Str(choice, "name") ?? (choice.TryGetProperty("function", out var f) ? Str(f, "name") : null)
                ?? throw Invalid("tool_choice of type function needs 'name'.", "tool_choice.name", "missing_required_parameter")),
            "allowed_tools" => Str(choice, "mode") == "required" ? ToolChoice.Required : ToolChoice.Auto,
            // Forcing a hosted tool that was dropped: let the model choose among what remains.
            _ => ToolChoice.Auto,
        },
        _ => throw Invalid("tool_choice must be a string or an object.", "tool_choice", "invalid_type"),
    };
}
