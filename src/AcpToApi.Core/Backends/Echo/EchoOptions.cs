using System.Globalization;

namespace AcpToApi.Backends.Echo;

/// <summary>
/// What the echo backend should do, read from its model name: <c>echo/&lt;name&gt;[+option…]</c>, options
/// <c>think</c>, <c>tool</c>, <c>delay=MS</c>, <c>error=STATUS</c>, <c>fail-after=N</c>. Unknown words are just the name.
/// </summary>
internal sealed record EchoOptions(bool Think, bool Tool, int DelayMs, int? ErrorStatus, int? FailAfterWords)
{
    private const int MaxDelayMs = 10_000;

    public static EchoOptions Parse(string model)
    {
        var think = false;
        var tool = false;
        var delay = 0;
        int? error = null;
        int? failAfter = null;
        foreach (var option in model.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = option.IndexOf('=') is var eq and > 0 ? (option[..eq], option[(eq + 1)..]) : (option, null);
            switch (key.ToLowerInvariant())
            {
                case "think":
                    think = true;
                    break;
                case "tool":
                    tool = true;
                    break;
                case "delay":
                    delay = ParseNumber(option, value, 0, MaxDelayMs);
                    break;
                case "error":
                    error = ParseNumber(option, value, 400, 599);
                    break;
                case "fail-after":
                    failAfter = ParseNumber(option, value, 0, int.MaxValue);
                    break;
            }
        }
        return new EchoOptions(think, tool, delay, error, failAfter);
    }

    private static int ParseNumber(string option, string? value, int min, int max)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        throw new ChatBackendException(ChatErrorKind.BadRequest, $"echo option '{option}' needs a whole number from {min} to {max}.")
        {
            Param = "model",
            Code = "invalid_value",
        };
    }
}
