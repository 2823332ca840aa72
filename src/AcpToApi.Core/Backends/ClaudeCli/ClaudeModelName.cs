using System.Text.RegularExpressions;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>Checks the model name before it reaches argv: an alias (sonnet, haiku, opus) or a full model id, never an option.</summary>
internal static partial class ClaudeModelName
{
    public static readonly IReadOnlyList<string> Aliases = ["sonnet", "haiku", "opus"];

    public static string Validate(string model)
    {
        if (ModelPattern().IsMatch(model))
        {
            return model;
        }
        throw new ChatBackendException(ChatErrorKind.BadRequest,
            $"'{model}' is not a Claude model name: use claude/sonnet, claude/haiku, claude/opus or claude/<full model id>.")
        {
            Param = "model",
            Code = "model_not_found",
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:@\[\]\-]{0,127}$")]
    private static partial Regex ModelPattern();
}
