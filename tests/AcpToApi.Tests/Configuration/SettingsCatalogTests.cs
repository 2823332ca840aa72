using System.Text.RegularExpressions;
using AcpToApi.Backends;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Configuration;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Configuration;

/// <summary>The catalog of settings is what the README documents, and each setting is one property declared once.</summary>
public sealed partial class SettingsCatalogTests
{
    [Fact]
    public void TheReadmeSettingsTableListsExactlyTheCatalogsSettings()
    {
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("\n## Settings\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 2, StringComparison.Ordinal)];
        var rows = section.Split('\n')
            .Where(line => line.StartsWith('|') && !line.StartsWith("| flag ", StringComparison.Ordinal) && !line.StartsWith("|---", StringComparison.Ordinal))
            .Select(line => line.Split('|')[1..^1].Select(cell => cell.Trim()).ToArray())
            .Where(cells => !cells[0].Contains("--help", StringComparison.Ordinal))
            .Select(cells => Row(
                Code(cells[0]).ElementAtOrDefault(0), Code(cells[0]).ElementAtOrDefault(1), Code(cells[1]).FirstOrDefault(),
                Code(cells[2]).FirstOrDefault(), cells[3].Replace("`", "", StringComparison.Ordinal),
                cells[0].Contains("(repeatable)", StringComparison.Ordinal) && cells[1].Contains("(comma-separated)", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

        var catalog = SettingsCatalog.All
            .Select(s => Row(s.Flag, s.Attribute.Alias, s.EnvironmentVariable, s.ConfigKey, s.DefaultText, s.Kind == SettingKind.List))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(catalog, rows);
    }

    [Fact]
    public void EveryConfigFileKeyUsersAlreadyWriteStillWorks()
    {
        // Keys of earlier releases: users' config files hold them. New settings add keys; none of these may go.
        string[] keys = ["port", "host", "kilo", "opencode", "claudeBin", "claudeTools", "claudeAgentPrompt", "claudeMaxConcurrency",
            "claudeQueueTimeoutSeconds", "autoLaunch", "agentPermission", "apiKey", "anthropicModelBackend", "allowRemoteWithoutKey",
            "maxBodyBytes", "idleTimeoutSeconds", "keepAliveSeconds", "inlineIo", "corsOrigins", "logLevel", "providers"];

        Assert.Empty(keys.Except(SettingsCatalog.All.Select(s => s.ConfigKey).OfType<string>(), StringComparer.Ordinal));
    }

    [Fact]
    public void ASharedSettingIsOneSettingWithEveryBackendAsOwner()
    {
        var idle = SettingsCatalog.Get("idleTimeoutSeconds");

        Assert.Equal(typeof(BackendOptions), idle.Property.DeclaringType);
        Assert.Contains(idle.Owners, o => o.OptionsType == typeof(ClaudeCliOptions));
        Assert.Equal(300.0, idle.Owners.Single(o => o.Name == "ollama").Default);
        Assert.Equal("120 (ollama 300)", idle.DefaultText);
        Assert.Single(SettingsCatalog.All, s => s.Key == "idleTimeoutSeconds");
    }

    /// <summary>One row as both sides render it, so a mismatch shows which column differs.</summary>
    private static string Row(string? flag, string? alias, string? variable, string? key, string defaultText, bool list) =>
        $"{key ?? "—"} | {flag} {alias} | {variable} | default {defaultText}{(list ? " | list" : "")}";

    private static IEnumerable<string> Code(string cell) => CodeSpan().Matches(cell).Select(m => m.Groups[1].Value);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
