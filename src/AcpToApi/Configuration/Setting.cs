using System.Globalization;
using System.Reflection;

namespace AcpToApi.Configuration;

/// <summary>One setting as the catalog found it: a [Setting] property, with every options type that carries it and their defaults.</summary>
internal sealed class Setting
{
    private readonly List<SettingOwner> _owners = [];

    internal Setting(PropertyInfo property, SettingAttribute attribute)
    {
        Property = property;
        Attribute = attribute;
        Key = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
        Kind = KindOf(property.PropertyType);
    }

    /// <summary>The config-file key (the property's name, camel-cased; binding ignores case).</summary>
    public string Key { get; }

    public PropertyInfo Property { get; }

    public SettingAttribute Attribute { get; }

    public SettingKind Kind { get; }

    public string? Flag => Attribute.Flag;

    public string? EnvironmentVariable => Attribute.EnvironmentVariable;

    /// <summary>The key as the config file spells it, or null when the file cannot give this setting.</summary>
    public string? ConfigKey => Attribute.InConfigFile ? Key : null;

    /// <summary>The options types carrying this setting (more than one for a shared setting such as the idle timeout).</summary>
    public IReadOnlyList<SettingOwner> Owners => _owners;

    /// <summary>Every way to give it, for error messages: <c>--port / PORT / config key port</c>.</summary>
    public string Names => string.Join(" / ", new[] { Flag, EnvironmentVariable, ConfigKey is null ? null : "config key " + ConfigKey }.OfType<string>());

    /// <summary>The default as the README and the help show it; a shared setting lists the owners that differ: <c>120 (ollama 300)</c>.</summary>
    public string DefaultText
    {
        get
        {
            var groups = _owners.GroupBy(o => Format(o.Default)).OrderByDescending(g => g.Count()).ToList();
            var others = groups.Skip(1).Select(g => $"{string.Join(", ", g.Select(o => o.Name))} {g.Key}");
            return groups.Count == 1 ? groups[0].Key : $"{groups[0].Key} ({string.Join("; ", others)})";
        }
    }

    internal void AddOwner(SettingOwner owner) => _owners.Add(owner);

    /// <summary>A value as the README, the help and the config file spell it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        Uri uri => uri.OriginalString,
        string s => s,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => list.Cast<object>().Any() ? string.Join(",", list.Cast<object>()) : "none",
        _ => value.ToString() ?? "none",
    };

    private static SettingKind KindOf(Type type) => type switch
    {
        _ when type == typeof(bool) => SettingKind.Switch,
        _ when type == typeof(int) || type == typeof(long) => SettingKind.WholeNumber,
        _ when type == typeof(double) => SettingKind.Number,
        _ when type == typeof(Uri) => SettingKind.Url,
        _ when type == typeof(string) => SettingKind.Text,
        _ when typeof(IEnumerable<string>).IsAssignableFrom(type) => SettingKind.List,
        _ => SettingKind.Structured,
    };
}

/// <summary>An options type that carries a setting, under the name the README and /debug/config use, with its default.</summary>
internal sealed record SettingOwner(Type OptionsType, string Name, object? Default);
