using System.Text.Json;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// The daemon's providers and models (from <c>GET /config/providers</c>) and how our model names map onto them:
/// <list type="number">
/// <item><c>&lt;providerID&gt;/&lt;modelID&gt;</c> when the first segment is a provider the daemon knows;</item>
/// <item>else the name as a model id, searched across providers in the daemon's order (first match wins);</item>
/// <item><c>default</c> means the daemon's own default model (its config's <c>model</c>, else its first provider default).</item>
/// </list>
/// Anything else is a 404 that lists what the daemon offers.
/// </summary>
internal sealed class ServeModelCatalog
{
    public const string DefaultModelName = "default";

    private readonly List<(string ProviderId, List<string> Models)> _providers;
    private readonly ServeModelRef? _default;

    public ServeModelCatalog(IEnumerable<(string ProviderId, List<string> Models)> providers, ServeModelRef? defaultModel)
    {
        _providers = providers.ToList();
        _default = defaultModel;
    }

    public ServeModelRef? Default => _default;

    /// <summary>Reads the body of <c>GET /config/providers</c>; <paramref name="configuredModel"/> is the config's <c>model</c> ("provider/model") when known.</summary>
    public static ServeModelCatalog Parse(JsonElement root, string? configuredModel)
    {
        var providers = new List<(string, List<string>)>();
        if (root.TryGetProperty("providers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var provider in list.EnumerateArray())
            {
                if (!provider.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                var models = new List<string>();
                if (provider.TryGetProperty("models", out var modelMap) && modelMap.ValueKind == JsonValueKind.Object)
                {
                    models.AddRange(modelMap.EnumerateObject().Select(m => m.Name));
                }
                providers.Add((id.GetString()!, models));
            }
        }

        ServeModelRef? defaultModel = null;
        if (configuredModel is { } configured && configured.IndexOf('/') is > 0 and var slash)
        {
            defaultModel = new ServeModelRef(configured[..slash], configured[(slash + 1)..]);
        }
        else if (root.TryGetProperty("default", out var defaults) && defaults.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in defaults.EnumerateObject())
            {
                if (pair.Value.ValueKind == JsonValueKind.String)
                {
                    defaultModel = new ServeModelRef(pair.Name, pair.Value.GetString()!);
                    break;
                }
            }
        }
        return new ServeModelCatalog(providers, defaultModel);
    }

    /// <summary>Maps our model name to the daemon's provider and model; null when nothing matches.</summary>
    public ServeModelRef? Resolve(string model)
    {
        if (string.Equals(model, DefaultModelName, StringComparison.OrdinalIgnoreCase))
        {
            return _default;
        }
        var slash = model.IndexOf('/');
        if (slash > 0)
        {
            var providerId = model[..slash];
            var modelId = model[(slash + 1)..];
            if (modelId.Length > 0 && _providers.Any(p => p.ProviderId == providerId))
            {
                return new ServeModelRef(providerId, modelId);
            }
        }
        foreach (var (providerId, models) in _providers)
        {
            if (models.Contains(model, StringComparer.Ordinal))
            {
                return new ServeModelRef(providerId, model);
            }
        }
        return null;
    }

    /// <summary>Model names for /v1/models: the bare model id when only one provider has it, else provider/model.</summary>
    public IReadOnlyList<string> ModelNames()
    {
        var counts = _providers.SelectMany(p => p.Models).GroupBy(m => m, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (providerId, models) in _providers)
        {
            foreach (var model in models)
            {
                var firstSegmentIsProvider = model.IndexOf('/') is > 0 and var slash && _providers.Any(p => p.ProviderId == model[..slash]);
                names.Add(counts[model] == 1 && !firstSegmentIsProvider ? model : providerId + "/" + model);
            }
        }
        return names;
    }
}
