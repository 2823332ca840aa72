namespace AcpToApi.Configuration;

/// <summary>
/// Marks an options property as an operator setting. The property's name is its config-file key (matched
/// case-insensitively); the attribute gives its command-line flag, its environment variable and its one-line meaning,
/// from which the host builds the command line, the environment mapping, the help text and checks the README table.
/// Optional bounds and choices are checked for every source alike, with errors that name all three spellings.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
internal sealed class SettingAttribute(string? flag, string? environmentVariable, string description) : Attribute
{
    /// <summary>The long command-line flag (<c>--claude-bin</c>), or null for a setting only the config file can give.</summary>
    public string? Flag { get; } = flag;

    /// <summary>The environment variable (<c>ACPTOAPI_CLAUDE_BIN</c>), or null for a setting only the config file can give.</summary>
    public string? EnvironmentVariable { get; } = environmentVariable;

    public string Description { get; } = description;

    /// <summary>A short alias of the flag, e.g. <c>-p</c>.</summary>
    public string? Alias { get; set; }

    /// <summary>Smallest accepted number (NaN: none).</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>Largest accepted number (NaN: none).</summary>
    public double Maximum { get; set; } = double.NaN;

    /// <summary>The number must be greater than zero.</summary>
    public bool Positive { get; set; }

    /// <summary>The accepted words (matched case-insensitively, stored as spelled here); null: any text.</summary>
    public string[]? OneOf { get; set; }

    /// <summary>False for a setting the config file cannot give (the config file's own path).</summary>
    public bool InConfigFile { get; set; } = true;
}
