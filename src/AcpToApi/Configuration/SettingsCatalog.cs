using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using AcpToApi.Backends.Anthropic;
using AcpToApi.Backends.Bedrock;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Backends.Gemini;
using AcpToApi.Backends.Ollama;
using AcpToApi.Backends.OpenAICompatible;
using AcpToApi.Backends.OpenCode;

namespace AcpToApi.Configuration;

/// <summary>
/// Every setting, found once from the [Setting] properties of the options types listed here. From it come the
/// command-line options, the environment mapping, the checks, /debug/config and the README table's test. A new setting
/// is one property on its options type (and a README row); a new settings-bearing options type is one line below.
/// </summary>
internal static class SettingsCatalog
{
    private static readonly Lazy<IReadOnlyList<Setting>> Discovered = new(Discover);

    /// <summary>In the order of the options types below, then of their properties.</summary>
    public static IReadOnlyList<Setting> All => Discovered.Value;

    public static Setting Get(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no setting has the key '{key}'", nameof(key));

    /// <summary>The settings an options type carries: what it may be bound from.</summary>
    public static IEnumerable<Setting> Of(Type optionsType) => All.Where(s => s.Owners.Any(o => o.OptionsType == optionsType));

    /// <summary>
    /// The settings the environment gives, as configuration keys: each setting's variable if set and not empty; a list
    /// variable (ACPTOAPI_CORS_ORIGINS) is comma-separated.
    /// </summary>
    public static Dictionary<string, string?> FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in All)
        {
            if (setting.EnvironmentVariable is not { } variable || !environment.TryGetValue(variable, out var value) || value.Length == 0)
            {
                continue;
            }
            if (setting.Kind == SettingKind.List)
            {
                var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < items.Length; i++)
                {
                    values[$"{setting.Key}:{i}"] = items[i];
                }
            }
            else
            {
                values[setting.Key] = value;
            }
        }
        return values;
    }

    private static List<Setting> Discover()
    {
        var settings = new List<Setting>();
        var gateway = new ServerOptions();
        Add(settings, "gateway", gateway);
        Add(settings, "claude", new ClaudeCliOptions());
        Add(settings, "kilo/opencode", new ServeApiOptions { Prefix = "kilo", BinaryName = "kilo", BaseUrl = gateway.Kilo });
        Add(settings, "anthropic", new AnthropicOptions());
        Add(settings, "gemini", new GeminiOptions());
        Add(settings, "ollama", new OllamaOptions());
        Add(settings, "bedrock", new BedrockOptions());
        Add(settings, "openai-compatible", new OpenAICompatibleOptions { Prefix = "openai", BaseUrl = new("http://127.0.0.1/v1") });
        return settings;
    }

    // The annotation keeps the public properties (and so their [Setting] attributes) of each listed type when trimmed.
    private static void Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(List<Setting> settings, string owner, T defaults)
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<SettingAttribute>() is not { } attribute)
            {
                continue;
            }
            var setting = settings.FirstOrDefault(s => s.Property.DeclaringType == property.DeclaringType && s.Property.Name == property.Name);
            if (setting is null)
            {
                setting = new Setting(property, attribute);
                var clash = settings.FirstOrDefault(s => string.Equals(s.Key, setting.Key, StringComparison.OrdinalIgnoreCase)
                    || (setting.Flag is not null && s.Flag == setting.Flag) || (setting.EnvironmentVariable is not null && s.EnvironmentVariable == setting.EnvironmentVariable));
                if (clash is not null)
                {
                    throw new InvalidOperationException($"settings {clash.Property.DeclaringType?.Name}.{clash.Property.Name} and "
                        + $"{property.DeclaringType?.Name}.{property.Name} share a key, flag or variable: declare a shared setting once, on a common base type");
                }
                settings.Add(setting);
            }
            setting.AddOwner(new SettingOwner(typeof(T), owner, property.GetValue(defaults)));
        }
    }
}
