using AcpToApi.Configuration;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>Loads settings as the program does, from a command line (as config keys) and an environment, both empty by default.</summary>
internal static class TestSettings
{
    public static GatewaySettings Load(Dictionary<string, string?>? given = null, Dictionary<string, string>? environment = null) =>
        SettingsLoader.Load(given ?? [], environment ?? []);

    /// <summary>Runs <paramref name="test"/> with a temporary config file holding <paramref name="json"/>, then deletes it.</summary>
    public static void WithConfigFile(string json, Action<string> test)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, json);
            test(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Parses <paramref name="args"/> as the program does and returns what the command line gave (config keys).</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> ParseCommandLineAsync(params string[] args)
    {
        IReadOnlyDictionary<string, string?>? captured = null;
        var exit = await AcpToApi.Configuration.CommandLine.Build((given, _) =>
        {
            captured = given;
            return Task.FromResult(0);
        }).Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        return captured!;
    }
}
