namespace AcpToApi.Configuration;

/// <summary>One layer of the settings (config file, environment, command line), named for error messages.</summary>
internal sealed record SettingSource(IConfigurationProvider Provider, string Label, bool IsConfigFile)
{
    /// <summary>Whether this layer gives the setting at all (a value, or a list's items).</summary>
    public bool Gives(Setting setting) =>
        (setting.Attribute.InConfigFile || !IsConfigFile)
        && ((Provider.TryGet(setting.Key, out var value) && value is not null) || Provider.GetChildKeys([], setting.Key).Any());
}
