namespace AcpToApi.Conversation;

internal enum ToolChoiceMode
{
    Auto,
    None,
    Required,
    Function,
}

/// <summary>How the model may use tools; <see cref="FunctionName"/> is set when one function is forced.</summary>
internal sealed record ToolChoice(ToolChoiceMode Mode, string? FunctionName = null)
{
    public static readonly ToolChoice Auto = new(ToolChoiceMode.Auto);
    public static readonly ToolChoice None = new(ToolChoiceMode.None);
    public static readonly ToolChoice Required = new(ToolChoiceMode.Required);
}
