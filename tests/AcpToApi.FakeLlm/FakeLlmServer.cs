using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace AcpToApi.FakeLlm;

/// <summary>
/// A scriptable fake LLM upstream on real Kestrel, bound to 127.0.0.1 only.
/// Speaks OpenAI Chat Completions and Anthropic Messages; records every request.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly FakeScriptSource scripts = new();
    private readonly RequestLog log;
    private int disposed;

    private FakeLlmServer(WebApplication app, bool recordRequests)
    {
        this.app = app;
        log = new RequestLog(recordRequests);
    }

    /// <summary>Raised synchronously on the request's thread as each request is recorded, before its response starts.</summary>
    public event EventHandler<RecordedRequest>? RequestRecorded;

    /// <summary>Scheme, host and port only, e.g. <c>http://127.0.0.1:34567/</c> (a <see cref="Uri"/> always shows the root path).</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Recorded requests so far (a snapshot), in order of arrival. <c>/_fake/*</c> requests are not recorded.</summary>
    public IReadOnlyList<RecordedRequest> Requests => log.Snapshot();

    /// <summary>Scripts queued and not yet used.</summary>
    public int PendingScripts => scripts.Pending;

    /// <summary>Starts the fake on 127.0.0.1 with the given port (0: any free port).</summary>
    public static Task<FakeLlmServer> StartAsync(int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(port, recordRequests: true, cancellationToken);

    /// <summary>
    /// Starts the fake; with <paramref name="recordRequests"/> false, <see cref="Requests"/> stays empty so memory
    /// does not grow over long runs (benchmarks). Waiters and <see cref="RequestRecorded"/> still see every request.
    /// </summary>
    public static async Task<FakeLlmServer> StartAsync(int port, bool recordRequests, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeLlmServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.AddServerHeader = false;
        });
        builder.Services.AddSingleton<IHostLifetime>(new NoopHostLifetime());
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        try
        {
            var server = new FakeLlmServer(app, recordRequests);
            var dispatcher = new FakeLlmDispatcher(server.scripts, server.log, app.Lifetime.ApplicationStopping, server.OnRecorded);
            app.Run(dispatcher.HandleAsync);
            await app.StartAsync(cancellationToken);

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            server.BaseUrl = new Uri(address);
            return server;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues a script: each LLM request (any protocol) takes the next one.</summary>
    public void Enqueue(FakeScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        scripts.Enqueue(script);
    }

    /// <summary>Drops the queued scripts.</summary>
    public void ClearScripts() => scripts.Clear();

    /// <summary>The script used when none is queued and the prompt carries no directive.</summary>
    public void SetDefault(FakeScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        scripts.SetDefault(script);
    }

    public void ClearRequests() => log.Clear();

    /// <summary>Completes as soon as a matching request is recorded (already recorded ones count); throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return log.WaitForAsync(predicate, timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private void OnRecorded(RecordedRequest request) => RequestRecorded?.Invoke(this, request);
}
