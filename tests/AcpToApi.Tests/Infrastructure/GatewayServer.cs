using AcpToApi.Configuration;
using AcpToApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>The real gateway on real Kestrel, bound to 127.0.0.1 on a free port, for one test.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private GatewayServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:port (no path).</summary>
    public Uri BaseUrl { get; }

    /// <summary>http://127.0.0.1:port/v1/ for OpenAI clients.</summary>
    public Uri OpenAIEndpoint => new(BaseUrl, "/v1/");

    public IServiceProvider Services => _app.Services;

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

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Stops the server; safe to call twice (a test may stop it early to check shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
