using AcpToApi.Configuration;
using AcpToApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// The real gateway on real Kestrel, bound to 127.0.0.1 on a free port, for one test: in the test's process, or, when
/// <see cref="GatewayProcess.ServerVariable"/> names an executable (test.sh runs the suite again with the Native AOT
/// binary), that executable in a process of its own, given the same settings and environment.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication? _app;
    private readonly GatewayProcess? _process;
    private int _disposed;

    private GatewayServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    private GatewayServer(GatewayProcess process)
    {
        _process = process;
        BaseUrl = process.BaseUrl;
    }

    /// <summary>http://127.0.0.1:port (no path).</summary>
    public Uri BaseUrl { get; }

    /// <summary>http://127.0.0.1:port/v1/ for OpenAI clients.</summary>
    public Uri OpenAIEndpoint => new(BaseUrl, "/v1/");

    /// <summary>The in-process gateway's services; a test reading them is skipped against an external server.</summary>
    public IServiceProvider Services => _app?.Services ?? throw SkipExternal("reads the gateway's services");

    /// <summary>The external server's process, or null in-process.</summary>
    public GatewayProcess? Process => _process;

    /// <param name="environment">The gateway's environment (provider keys, base URLs, and settings' variables).</param>
    /// <param name="settings">Settings by config key (<c>["idleTimeoutSeconds"] = "2"</c>), given as the command line gives them.</param>
    /// <param name="time">The app's clock (a <see cref="FakeClock"/>) instead of the system's.</param>
    /// <param name="services">Further service registrations (host options, say).</param>
    public static async Task<GatewayServer> StartAsync(
        IReadOnlyDictionary<string, string>? environment = null,
        Dictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        var given = new Dictionary<string, string?> { ["port"] = "0", ["host"] = "127.0.0.1", ["logLevel"] = "Warning" };
        foreach (var (key, value) in settings ?? [])
        {
            given[key] = value;
        }
        if (GatewayProcess.ExternalServer is { } executable)
        {
            return await StartExternalAsync(executable, environment, given, time, services);
        }
        var app = GatewayApp.Build(SettingsLoader.Load(given, environment ?? new Dictionary<string, string>()), registrations =>
        {
            if (time is not null)
            {
                registrations.AddSingleton(time);
            }
            services?.Invoke(registrations);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = GatewayApp.BoundAddress(app);
        return new GatewayServer(app, new Uri(address.GetLeftPart(UriPartial.Authority)));
    }

    private static async Task<GatewayServer> StartExternalAsync(string executable, IReadOnlyDictionary<string, string>? environment,
        Dictionary<string, string?> given, TimeProvider? time, Action<IServiceCollection>? services)
    {
        if (services is not null)
        {
            throw SkipExternal("adds services to the gateway");
        }
        if (time is FakeClock clock)
        {
            // The process runs on the real clock. The test's clock stood still unless the test moved it, so keep-alives
            // stay away on the real one too; a test that moves its clock is skipped when it does (FakeClock.Detach).
            clock.Detach($"{GatewayProcess.ServerVariable} is set: the gateway runs in its own process, on the real clock");
            given.TryAdd("keepAliveSeconds", "86400");
        }
        else if (time is not null)
        {
            throw SkipExternal("gives the gateway a clock of its own");
        }
        var process = await GatewayProcess.StartAsync([executable], CommandLineOf(given), environment ?? new Dictionary<string, string>(),
            TestContext.Current.CancellationToken);
        return new GatewayServer(process);
    }

    /// <summary>Settings by config key as the command line gives them: each setting's flag (a list's flag once per item).</summary>
    private static IEnumerable<string> CommandLineOf(Dictionary<string, string?> given)
    {
        foreach (var (key, value) in given)
        {
            var setting = SettingsCatalog.Get(key.Split(':')[0]);
            var flag = setting.Flag ?? throw new InvalidOperationException($"setting {key} has no command-line flag to give an external server");
            yield return flag;
            yield return value ?? "";
        }
    }

    /// <summary>Skips the test against an external server: for a test about the in-process gateway itself.</summary>
    public static void RequireInProcess(string what)
    {
        if (GatewayProcess.ExternalServer is not null)
        {
            throw SkipExternal(what);
        }
    }

    private static System.Diagnostics.UnreachableException SkipExternal(string what)
    {
        Assert.Skip($"SKIPPED against the external server ({GatewayProcess.ServerVariable}): this test {what}, which only the in-process gateway allows");
        return new System.Diagnostics.UnreachableException();
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Stops the server; safe to call twice (a test may stop it early to check shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_process is not null)
        {
            var exitCode = await _process.StopAsync();
            await _process.DisposeAsync();
            Assert.True(exitCode == 0, $"the gateway process did not exit cleanly on SIGTERM (exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none: killed"}); stderr: {_process.Stderr}");
            return;
        }
        await _app!.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
