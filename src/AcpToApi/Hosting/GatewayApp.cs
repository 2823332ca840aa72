using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Endpoints;
using AcpToApi.Metrics;
using AcpToApi.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AcpToApi.Hosting;

/// <summary>Builds the web application: Kestrel, logging, backends, security middleware and every endpoint.</summary>
internal static class GatewayApp
{
    public static WebApplication Build(GatewaySettings settings, Action<IServiceCollection>? configureServices = null)
    {
        var options = settings.Server;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // Settings come from flags and the environment, never from an appsettings.json: no file watcher (a thread
            // and an inotify instance) for files that are not read.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        // Inline scheduling: Kestrel continues the request on the socket thread that read it (no thread-pool hop).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineIo);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            var services = kestrel.ApplicationServices;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
                ServerErrors.ServerErrorBodies.Wrap(next, () => services.GetRequiredService<ErrorRenderers>())));
        });
        ConfigureLogging(builder.Logging, options);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
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
        services.AddSingleton(sp => new BackendRouter(BackendCatalog.Build(settings, sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AcpToApi.Backends.ClientTools.IClientToolHost>())));
        services.AddSingleton(sp => new AcpToApi.Responses.ResponsesStore(options.ResponsesStoreSize, TimeSpan.FromSeconds(options.ResponsesStoreTtlSeconds), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new ErrorRenderers([("/v1/messages", AnthropicErrorRenderer.Instance), ("/v1beta", GeminiErrorRenderer.Instance)]));
        services.AddGatewayMetrics();
        services.AddSingleton<AcpToApi.AgentTools.McpClientToolHost>();
        services.AddSingleton<AcpToApi.Backends.ClientTools.IClientToolHost>(sp => sp.GetRequiredService<AcpToApi.AgentTools.McpClientToolHost>());
        AcpToApi.AgentTools.McpClientToolServer.Configure(services, TimeSpan.FromSeconds(20));
        services.AddSingleton<ChatExchange>();
        services.TryAddSingleton(new InputTokenCount());
        services.AddSingleton<BackendStatusCache>();
        services.AddHostedService<BackendShutdown>();
        services.AddSingleton<IdleMemoryTrim>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrim>());
        if (options.CorsOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. options.CorsOrigins])
                .AllowAnyHeader()
                .AllowAnyMethod()));
        }
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Outermost, so every bare error status (no route, wrong method, a refusal below) gets a protocol-shaped body.
        app.UseStatusCodePages(UnmatchedRequests.WriteBodyAsync);
        app.Use(app.Services.GetRequiredService<IdleMemoryTrim>().TrackAsync);
        app.UseMiddleware<UnhandledFailures>();
        app.UseMiddleware<GatewayLoopMiddleware>(settings.LoopToken);
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
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/messages", MessagesEndpoint.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", MessagesEndpoint.CountTokensAsync);
        app.MapGet("/v1/models", ModelsEndpoint.HandleAsync);
        app.MapGet("/v1/models/{**model}", ModelsEndpoint.GetAsync);
        app.MapPost("/v1/responses", AcpToApi.Responses.ResponsesEndpoint.CreateAsync);
        app.MapPost("/v1/responses/compact", AcpToApi.Responses.ResponsesEndpoint.CompactAsync);
        app.MapGet("/v1/responses/{id}", AcpToApi.Responses.ResponsesEndpoint.GetAsync);
        app.MapDelete("/v1/responses/{id}", AcpToApi.Responses.ResponsesEndpoint.DeleteAsync);
        app.MapGet("/v1beta/models", GeminiModelsEndpoint.ListAsync);
        app.MapGet("/v1beta/models/{**path}", GeminiModelsEndpoint.GetAsync);
        app.MapPost("/v1beta/models/{**path}", GeminiEndpoint.HandleAsync);
        app.MapMethods("/v1beta/{**path}", [HttpMethods.Get, HttpMethods.Post], GeminiEndpoint.OtherAsync);
        app.MapGet("/health", HealthEndpoint.HandleAsync);
        AcpToApi.AgentTools.McpClientToolServer.Map(app, app.Services.GetRequiredService<AcpToApi.AgentTools.McpClientToolHost>());
        app.MapGet("/", AcpToApi.Playground.PlaygroundEndpoint.Handle);
        foreach (var path in PassthroughEndpoint.Paths)
        {
            app.MapPost("/v1/" + path, (HttpContext context, BackendRouter router) => PassthroughEndpoint.HandleAsync(context, router, path));
        }
        app.MapGatewayMetrics("/metrics");
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
        // Checked against the level names when the settings were read.
        var level = Enum.Parse<LogLevel>(options.LogLevel, ignoreCase: true);
        logging.SetMinimumLevel(level);
        // Framework chatter stays out of the one-line-per-request log unless asked for.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level <= LogLevel.Debug ? level : LogLevel.Warning);
        // ASP.NET Core's own request lines duplicate ours, and while that logger is enabled at all the host starts an
        // Activity for every request, for its log scope: allocations, tags, and an async-local carried through every
        // await of the exchange. Off unless debugging.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level <= LogLevel.Debug ? level : LogLevel.None);
    }

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
}
