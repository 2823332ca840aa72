using System.Globalization;

namespace AcpToApi.Configuration;

/// <summary>
/// Takes each setting from the highest layer that gives it, checks it as its kind and bounds say, and writes it in the
/// one spelling the binder reads (true/false, invariant numbers, a choice as declared). A list or a structured value
/// comes whole from one layer: an environment list replaces the file's instead of overlaying it item by item.
/// </summary>
internal static class SettingValues
{
    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    public static Dictionary<string, string?> Resolve(IReadOnlyList<SettingSource> sources)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in SettingsCatalog.All)
        {
            if (sources.LastOrDefault(s => s.Gives(setting)) is not { } source)
            {
                continue;
            }
            var children = source.Provider.GetChildKeys([], setting.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            switch (setting.Kind)
            {
                case SettingKind.List when children.Count == 0:
                    throw Invalid(setting, source, source.Provider.TryGet(setting.Key, out var single) ? single : null, "is one value where a list is expected");
                case SettingKind.List:
                    var index = 0;
                    foreach (var child in children)
                    {
                        var path = $"{setting.Key}:{child}";
                        if (!source.Provider.TryGet(path, out var item) || item is null || source.Provider.GetChildKeys([], path).Any())
                        {
                            throw Invalid(setting, source, null, "must be a list of words");
                        }
                        values[$"{setting.Key}:{index++}"] = item;
                    }
                    break;
                case SettingKind.Structured:
                    Copy(source.Provider, setting.Key, values);
                    break;
                default:
                    source.Provider.TryGet(setting.Key, out var raw);
                    values[setting.Key] = Check(setting, source, raw!);
                    break;
            }
        }
        return values;
    }

    public static bool IsHttpUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string Check(Setting setting, SettingSource source, string raw)
    {
        var value = raw.Trim();
        switch (setting.Kind)
        {
            case SettingKind.Switch:
                return TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase) ? "true"
                    : FalseWords.Contains(value, StringComparer.OrdinalIgnoreCase) ? "false"
                    : throw Invalid(setting, source, raw, "is not true/false");
            case SettingKind.WholeNumber:
                var isInt = setting.Property.PropertyType == typeof(int);
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) || (isInt && whole is < int.MinValue or > int.MaxValue))
                {
                    throw Invalid(setting, source, raw, "is not a whole number");
                }
                CheckBounds(setting, source, raw, whole);
                return whole.ToString(CultureInfo.InvariantCulture);
            case SettingKind.Number:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    throw Invalid(setting, source, raw, "is not a number");
                }
                CheckBounds(setting, source, raw, number);
                return number.ToString("R", CultureInfo.InvariantCulture);
            case SettingKind.Url:
                return IsHttpUrl(value) ? value : throw Invalid(setting, source, raw, "is not an http(s) URL");
            default:
                if (setting.Attribute.OneOf is { } choices)
                {
                    return choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase))
                        ?? throw Invalid(setting, source, raw, $"must be {string.Join(", ", choices[..^1])} or {choices[^1]}");
                }
                return raw;
        }
    }

    private static void CheckBounds(Setting setting, SettingSource source, string raw, double number)
    {
        var (min, max) = (setting.Attribute.Minimum, setting.Attribute.Maximum);
        if (!double.IsNaN(min) && !double.IsNaN(max) && (number < min || number > max))
        {
            throw Invalid(setting, source, raw, $"is out of range ({min}-{max})");
        }
        if (!double.IsNaN(min) && number < min)
        {
            throw Invalid(setting, source, raw, $"must be at least {min}");
        }
        if (!double.IsNaN(max) && number > max)
        {
            throw Invalid(setting, source, raw, $"must be at most {max}");
        }
        if (setting.Attribute.Positive && number <= 0)
        {
            throw Invalid(setting, source, raw, "must be greater than 0");
        }
    }

    private static void Copy(IConfigurationProvider provider, string path, Dictionary<string, string?> values)
    {
        if (provider.TryGet(path, out var value) && value is not null)
        {
            values[path] = value;
        }
        foreach (var child in provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Copy(provider, $"{path}:{child}", values);
        }
    }

    private static OptionsException Invalid(Setting setting, SettingSource source, string? raw, string problem) =>
        new($"{setting.Names}: {(raw is null ? "the value" : $"'{raw}'")} from {source.Label} {problem}");
}
