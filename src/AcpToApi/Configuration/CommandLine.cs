using System.CommandLine;

namespace AcpToApi.Configuration;

/// <summary>
/// The acptoapi command line, made from the settings catalog: one option per setting that has a flag (switches usable
/// bare, lists repeatable), described with its default and environment variable. What was given becomes configuration
/// keys, the command-line layer of <see cref="SettingsLoader"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>The npm package that installs the native binary (<c>npx acptoapi-dotnet</c>); <c>acptoapi</c> on npm is another, JavaScript, project.</summary>
    public const string NpmPackage = "acptoapi-dotnet";

    public static RootCommand Build(Func<IReadOnlyDictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("acptoapi: an OpenAI-, Anthropic- and Gemini-compatible gateway to Kilo Code, opencode, Claude Code and direct APIs.\n"
            + $"Install or run it with `npx {NpmPackage}` (a native binary, nothing else needed), or as a .NET tool (`dotnet tool install --global acptoapi`).");
        var options = new List<(Setting Setting, Option Option)>();
        foreach (var setting in SettingsCatalog.All.Where(s => s.Flag is not null))
        {
            var option = Create(setting);
            root.Options.Add(option);
            options.Add((setting, option));
        }
        root.SetAction((result, cancellationToken) => run(Given(result, options), cancellationToken));
        return root;
    }

    private static Option Create(Setting setting)
    {
        string[] aliases = setting.Attribute.Alias is { } alias ? [alias] : [];
        Option option = setting.Kind switch
        {
            SettingKind.Switch => new Option<bool?>(setting.Flag!, aliases),
            SettingKind.List => new Option<string[]>(setting.Flag!, aliases) { AllowMultipleArgumentsPerToken = false },
            _ => new Option<string?>(setting.Flag!, aliases),
        };
        var repeatable = setting.Kind == SettingKind.List ? "; repeatable" : "";
        var variable = setting.EnvironmentVariable is null ? ""
            : $" [env {setting.EnvironmentVariable}{(setting.Kind == SettingKind.List ? ", comma-separated" : "")}]";
        option.Description = $"{setting.Attribute.Description.Replace("`", "", StringComparison.Ordinal)} (default {setting.DefaultText}{repeatable}){variable}";
        return option;
    }

    private static Dictionary<string, string?> Given(ParseResult result, List<(Setting Setting, Option Option)> options)
    {
        var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, option) in options)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }
            switch (option)
            {
                case Option<bool?> flag:
                    given[setting.Key] = result.GetValue(flag) is false ? "false" : "true";
                    break;
                case Option<string[]> list:
                    var items = result.GetValue(list) ?? [];
                    for (var i = 0; i < items.Length; i++)
                    {
                        given[$"{setting.Key}:{i}"] = items[i];
                    }
                    break;
                case Option<string?> text:
                    given[setting.Key] = result.GetValue(text);
                    break;
            }
        }
        return given;
    }
}
