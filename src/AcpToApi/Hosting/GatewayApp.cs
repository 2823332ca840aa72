using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Endpoints;
using AcpToApi.Security;
using Prometheus;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AcpToApi.Hosting;

/// <summary>Builds the web application: Kestrel, logging, backends, security middleware and every endpoint.</summary>
public static class GatewayApp
{
    public static WebApplication Build(ServerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        // Inline scheduling: Kestrel continues the request on the socket thread that read it (no thread-pool hop).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineIo);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        ConfigureLogging(builder.Logging, options);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        })
        {
            // Streams may last long; the per-backend idle timeout bounds silence instead.
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton(sp => new BackendRouter(BackendCatalog.Build(options, sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<ChatExchange>();
        services.AddSingleton<BackendStatusCache>();
        if (options.CorsOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. options.CorsOrigins])
                .AllowAnyHeader()
                .AllowAnyMethod()));
        }
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Backends that own child processes stop them as soon as shutdown begins, so in-flight requests end
        // at once instead of holding the graceful-shutdown window open; the container disposes the router again later.
        app.Lifetime.ApplicationStopping.Register(() =>
            app.Services.GetRequiredService<BackendRouter>().DisposeAsync().AsTask().GetAwaiter().GetResult());
        if (options.IsLoopbackBinding)
        {
            app.UseMiddleware<LoopbackHostMiddleware>();
        }
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            app.UseMiddleware<ApiKeyMiddleware>(options.ApiKey);
        }
        MapEndpoints(app);
        return app;
    }

    /// <summary>The first address Kestrel actually bound (useful with port 0).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server is not listening"));
    }

    private static void MapEndpoints(WebApplication app)
    {
        ErrorResponses.Register("/v1/messages", AnthropicErrorRenderer.Instance);
        ErrorResponses.Register("/v1beta", GeminiErrorRenderer.Instance);
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/messages", MessagesEndpoint.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", MessagesEndpoint.CountTokensAsync);
        app.MapGet("/v1/models", ModelsEndpoint.HandleAsync);
        app.MapGet("/v1beta/models", GeminiModelsEndpoint.ListAsync);
        app.MapGet("/v1beta/models/{**path}", GeminiModelsEndpoint.GetAsync);
        app.MapPost("/v1beta/models/{**path}", GeminiEndpoint.HandleAsync);
        app.MapMethods("/v1beta/{**path}", [HttpMethods.Get, HttpMethods.Post], GeminiEndpoint.NotFoundAsync);
        app.MapGet("/health", HealthEndpoint.HandleAsync);
        app.MapGet("/", AcpToApi.Playground.PlaygroundEndpoint.Handle);
        foreach (var path in PassthroughEndpoint.Paths)
        {
            app.MapPost("/v1/" + path, (HttpContext context, BackendRouter router) => PassthroughEndpoint.HandleAsync(context, router, path));
        }
        app.MapMetrics("/metrics");
        app.MapGet("/debug/providers", DebugEndpoints.ProvidersAsync);
        app.MapGet("/debug/config", DebugEndpoints.ConfigAsync);
        app.MapPost("/debug/translate", DebugEndpoints.TranslateAsync);
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        if (!Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var level))
        {
            throw new OptionsException($"unknown log level '{options.LogLevel}' (use Trace, Debug, Information, Warning or Error)");
        }
        logging.SetMinimumLevel(level);
        // Framework chatter stays out of the one-line-per-request log unless asked for.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level <= LogLevel.Debug ? level : LogLevel.Warning);
    }

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
}
