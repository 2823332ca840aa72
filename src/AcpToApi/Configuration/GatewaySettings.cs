namespace AcpToApi.Configuration;

/// <summary>
/// One gateway's settings: the gateway's own options, bound, and the checked values every options type is bound from
/// (each backend's options are bound from <see cref="For"/> when the backend is built).
/// </summary>
internal sealed class GatewaySettings
{
    internal GatewaySettings(ServerOptions server, IConfiguration values)
    {
        Server = server;
        Values = values;
    }

    public ServerOptions Server { get; }

    /// <summary>This gateway instance's <see cref="Backends.GatewayLoop"/> token (new for every start, never configured).</summary>
    public string LoopToken { get; } = Backends.GatewayLoop.NewToken();

    /// <summary>The settings that were given (flag, environment or file), checked and normalized; only the catalog's keys.</summary>
    public IConfiguration Values { get; }

    /// <summary>
    /// The given values of the settings <paramref name="optionsType"/> carries, and only those: binding an options type
    /// can never set a property that is not one of its settings (AnthropicOptions.ApiKey is not the gateway's apiKey).
    /// </summary>
    public IConfiguration For(Type optionsType)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in SettingsCatalog.Of(optionsType))
        {
            foreach (var (key, value) in Values.GetSection(setting.Key).AsEnumerable())
            {
                values[key] = value;
            }
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
