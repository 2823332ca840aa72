using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Reads tools.functionDeclarations and toolConfig.functionCallingConfig.</summary>
internal static class GeminiToolReader
{
    public static (List<ToolDefinition> Tools, ToolChoice? Choice) Read(List<GeminiTool>? tools, GeminiToolConfig? config)
    {
        var result = new List<ToolDefinition>();
        for (var i = 0; i < (tools?.Count ?? 0); i++)
        {
            var tool = tools![i];
            if (tool.Extra is { Count: > 0 } extra)
            {
                throw GeminiRequestReader.Invalid($"tools[{i}]: '{extra.Keys.First()}' tools are not supported; only functionDeclarations are.", $"tools[{i}]");
            }
            WireArrays.RejectNulls(tool.FunctionDeclarations, j => $"tools[{i}].functionDeclarations[{j}]");
            for (var j = 0; j < (tool.FunctionDeclarations?.Count ?? 0); j++)
            {
                var declaration = tool.FunctionDeclarations![j];
                if (string.IsNullOrEmpty(declaration.Name))
                {
                    throw GeminiRequestReader.Invalid($"tools[{i}].functionDeclarations[{j}].name is required.", $"tools[{i}].functionDeclarations[{j}].name");
                }
                var schema = declaration.ParametersJsonSchema
                    ?? (declaration.Parameters is { } parameters ? GeminiSchema.ToJsonSchema(parameters) : null);
                result.Add(new ToolDefinition(declaration.Name, declaration.Description, schema));
            }
        }
        return (result, ReadChoice(config?.FunctionCallingConfig, result));
    }

    private static ToolChoice? ReadChoice(GeminiFunctionCallingConfig? config, List<ToolDefinition> tools)
    {
        if (config is null)
        {
            return null;
        }
        var allowed = config.AllowedFunctionNames ?? [];
        foreach (var name in allowed.Where(n => tools.All(t => t.Name != n)))
        {
            throw GeminiRequestReader.Invalid($"toolConfig.functionCallingConfig.allowedFunctionNames names '{name}', which is not declared in tools.", "toolConfig.functionCallingConfig.allowedFunctionNames");
        }
        switch (config.Mode?.ToUpperInvariant())
        {
            case null or "" or "MODE_UNSPECIFIED" or "AUTO" or "VALIDATED":
                return ToolChoice.Auto;
            case "NONE":
                return ToolChoice.None;
            case "ANY":
                if (allowed.Count == 1)
                {
                    return new ToolChoice(ToolChoiceMode.Function, allowed[0]);
                }
                // Several allowed names: offer only those, and require a call.
                if (allowed.Count > 1)
                {
                    tools.RemoveAll(t => !allowed.Contains(t.Name));
                }
                return ToolChoice.Required;
            default:
                throw GeminiRequestReader.Invalid($"toolConfig.functionCallingConfig.mode '{config.Mode}' is not one of AUTO, ANY, NONE, VALIDATED.", "toolConfig.functionCallingConfig.mode");
        }
    }
}
