namespace AcpToApi.Configuration;

/// <summary>How a setting's value is read and checked, from its property's type.</summary>
internal enum SettingKind
{
    /// <summary>bool: a bare flag, or true/false, 1/0, yes/no, on/off.</summary>
    Switch,

    /// <summary>int or long.</summary>
    WholeNumber,

    /// <summary>double.</summary>
    Number,

    /// <summary>An absolute http(s) URL.</summary>
    Url,

    Text,

    /// <summary>A list of words: a repeated flag, a comma-separated environment variable, a JSON array.</summary>
    List,

    /// <summary>Anything else (a list of objects): only the config file can give it.</summary>
    Structured,
}
