using System.Globalization;
using System.Text.Json;
using AcpToApi.Configuration;

namespace AcpToApi.Endpoints;

/// <summary>
/// The active configuration for /debug/config: every setting of the catalog, as given or its default (a setting several
/// backends carry, such as idleTimeoutSeconds, shows each backend's value), and the relevant environment variables.
/// Secrets are redacted twice over: by name (anything that looks like a key, token, secret or password) and by value
/// (any value equal to a known secret).
/// </summary>
internal static class ConfigRedaction
{
    public const string Redacted = "(redacted)";

    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL", "AUTH"];

    private static readonly string[] RelevantPrefixes =
        ["ACPTOAPI_", "OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_", "GROQ_", "OPENROUTER_", "TOGETHER_", "DEEPSEEK_", "XAI_", "CEREBRAS_",
         "PERPLEXITY_", "MISTRAL_", "FIREWORKS_", "OLLAMA_", "BEDROCK_", "AWS_", "CLAUDE_", "PORT"];

    public static bool IsSecretName(string name) => SecretNameParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    public static void Write(Utf8JsonWriter w, GatewaySettings settings)
    {
        var options = settings.Server;
        var secrets = options.Environment.Where(e => IsSecretName(e.Key) && e.Value.Length >= 4).Select(e => e.Value)
            .Append(options.ApiKey ?? "").Where(v => v.Length >= 4).ToHashSet(StringComparer.Ordinal);
        string Clean(string value) => secrets.Any(s => value.Contains(s, StringComparison.Ordinal)) ? Redacted : value;

        w.WriteStartObject();
        foreach (var setting in SettingsCatalog.All)
        {
            w.WritePropertyName(setting.Key);
            var given = settings.Values.GetSection(setting.Key);
            if (setting.Kind == SettingKind.Text && IsSecretName(setting.Key))
            {
                if (given.Value is null && setting.Owners[0].Default is null) w.WriteNullValue(); else w.WriteStringValue(Redacted);
            }
            else if (given.Exists())
            {
                WriteGiven(w, setting, given, Clean);
            }
            else if (setting.Owners.Select(o => Setting.Format(o.Default)).Distinct().Count() == 1)
            {
                WriteDefault(w, setting.Owners[0].Default, Clean);
            }
            else
            {
                w.WriteStartObject();
                foreach (var owner in setting.Owners)
                {
                    w.WritePropertyName(owner.Name);
                    WriteDefault(w, owner.Default, Clean);
                }
                w.WriteEndObject();
            }
        }
        // What the runtime's socket engine uses in this process (the process-wide half of inlineIo, or the operator's own variable).
        w.WriteBoolean("inlineSocketCompletions", Hosting.InlineSocketCompletions.InThisProcess);
        w.WriteStartObject("environment");
        foreach (var (name, value) in options.Environment.Where(e => RelevantPrefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal))).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, IsSecretName(name) ? Redacted : Clean(value));
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteGiven(Utf8JsonWriter w, Setting setting, IConfigurationSection given, Func<string, string> clean)
    {
        switch (setting.Kind)
        {
            case SettingKind.Switch:
                w.WriteBooleanValue(given.Value == "true");
                break;
            case SettingKind.WholeNumber or SettingKind.Number:
                w.WriteNumberValue(double.Parse(given.Value!, CultureInfo.InvariantCulture));
                break;
            default:
                WriteSection(w, given, clean);
                break;
        }
    }

    /// <summary>A configuration section as JSON: a value, an array (numbered children) or an object.</summary>
    private static void WriteSection(Utf8JsonWriter w, IConfigurationSection section, Func<string, string> clean)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            w.WriteStringValue(section.Value is null ? null : clean(section.Value));
            return;
        }
        var isArray = children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        if (isArray) w.WriteStartArray(); else w.WriteStartObject();
        foreach (var child in children)
        {
            if (!isArray) w.WritePropertyName(child.Key);
            WriteSection(w, child, clean);
        }
        if (isArray) w.WriteEndArray(); else w.WriteEndObject();
    }

    private static void WriteDefault(Utf8JsonWriter w, object? value, Func<string, string> clean)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int or long or double:
                w.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case string or Uri:
                w.WriteStringValue(clean(Setting.Format(value)));
                break;
            default:
                // The list settings default to empty.
                w.WriteStartArray();
                w.WriteEndArray();
                break;
        }
    }
}
