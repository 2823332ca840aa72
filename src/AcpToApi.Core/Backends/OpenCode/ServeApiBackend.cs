using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using AcpToApi.Conversation;
using AcpToApi.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// opencode or Kilo Code through their serve API. Per request: resolve the model from the daemon's provider list,
/// create a titled session, subscribe to its events on the shared stream, send the prompt, translate events until
/// the session is idle. Permission requests are answered with the configured reply (reject by default).
/// When the request ends early (client gone, error, idle timeout) the session is aborted at once; every session
/// the gateway created is deleted afterwards.
/// </summary>
internal sealed class ServeApiBackend : IChatBackend, IBackendProbe, IAsyncDisposable
{
    private readonly ServeApiOptions _options;
    private readonly ServeApiClient _client;
    private readonly ServeEventHub _hub;
    private readonly ServeDaemonLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _catalogLock = new(1, 1);
    private readonly ConcurrentDictionary<Task, byte> _cleanups = new();
    private CachedCatalog? _catalog;

    public ServeApiBackend(HttpClient http, ServeApiOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ServeApiBackend>();
        _time = timeProvider ?? TimeProvider.System;
        _client = new ServeApiClient(http, options);
        _hub = new ServeEventHub(_client, options, _logger);
        _launcher = new ServeDaemonLauncher(options, _logger);
    }

    public ServeApiOptions Options => _options;

    public string Target => _options.BaseUrl.ToString();

    public bool IsConfigured => true;

    /// <summary>Raised with the session id just before <c>POST /session/{id}/abort</c> is sent (diagnostics and tests).</summary>
    public event Action<string>? SessionAborting;

    /// <summary>Sessions being aborted or deleted right now (for tests and shutdown).</summary>
    public Task PendingCleanups => Task.WhenAll(_cleanups.Keys);

    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        IdleTimeout.EnforceAsync(ct => StreamCoreAsync(request, ct), _options.IdleTimeout, _time, _options.DisplayName, cancellationToken);

    private async IAsyncEnumerable<ChatEvent> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        var model = catalog.Resolve(request.Model) ?? throw UnknownModel(request.Model, catalog);
        var body = ServePromptBuilder.Build(request, model);

        var sessionId = await Reachable(() => _client.CreateSessionAsync(ServePromptBuilder.Title(request), cancellationToken)).ConfigureAwait(false);
        ServeLog.SessionCreated(_logger, _options.DisplayName, sessionId);
        var completed = false;
        ServeSubscription? subscription = null;
        try
        {
            // Subscribe before prompting: events sent before the subscription would be lost.
            subscription = await Reachable(() => _hub.SubscribeAsync(sessionId, cancellationToken)).ConfigureAwait(false);
            await Reachable(() => _client.PromptAsync(sessionId, body, cancellationToken)).ConfigureAwait(false);

            var output = new ChatEventBuilder();
            var translator = new ServeStreamTranslator(output, _options.DisplayName, sessionId);
            await foreach (var serveEvent in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                translator.Translate(serveEvent);
                foreach (var permissionId in translator.TakePermissionRequests())
                {
                    var answered = await _client.ReplyPermissionAsync(permissionId, _options.AgentPermission).ConfigureAwait(false);
                    ServeLog.PermissionAnswered(_logger, _options.DisplayName, permissionId, _options.AgentPermission, answered ? "" : " (the reply failed)");
                    if (!output.Completed)
                    {
                        output.Heartbeat($"{_options.DisplayName} asked permission {permissionId}; answered {_options.AgentPermission}{(answered ? "" : " (the reply failed)")}");
                    }
                }
                foreach (var chatEvent in output.Drain())
                {
                    yield return chatEvent;
                }
                if (output.Completed)
                {
                    completed = true;
                    yield break;
                }
            }
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{_options.DisplayName}'s event stream ended before session {sessionId} was idle.");
        }
        finally
        {
            subscription?.Dispose();
            Cleanup(sessionId, abort: !completed);
        }
    }

    /// <summary>Aborts (when the turn did not finish) and deletes the session in the background, tracked for shutdown.</summary>
    private void Cleanup(string sessionId, bool abort)
    {
        if (!abort && !_options.DeleteSessions)
        {
            return;
        }
        var task = CleanupAsync(sessionId, abort);
        _cleanups.TryAdd(task, 0);
        _ = task.ContinueWith(t => _cleanups.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task CleanupAsync(string sessionId, bool abort)
    {
        if (abort)
        {
            SessionAborting?.Invoke(sessionId);
            Log(await _client.AbortAsync(sessionId).ConfigureAwait(false), "abort");
        }
        if (_options.DeleteSessions)
        {
            Log(await _client.DeleteSessionAsync(sessionId).ConfigureAwait(false), "delete");
        }

        void Log(bool done, string action)
        {
            if (done)
            {
                ServeLog.SessionCleanedUp(_logger, _options.DisplayName, sessionId, action + (action == "abort" ? "ed" : "d"));
            }
            else
            {
                ServeLog.SessionCleanupFailed(_logger, _options.DisplayName, sessionId, action);
            }
        }
    }

    private async Task<ServeModelCatalog> GetCatalogAsync(CancellationToken cancellationToken)
    {
        if (_catalog is { } cached && Stopwatch.GetElapsedTime(cached.At) < _options.ProvidersCacheDuration)
        {
            return cached.Catalog;
        }
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_catalog is { } again && Stopwatch.GetElapsedTime(again.At) < _options.ProvidersCacheDuration)
            {
                return again.Catalog;
            }
            if (_options.AutoLaunch)
            {
                await _launcher.EnsureRunningAsync(IsHealthyAsync, cancellationToken).ConfigureAwait(false);
            }
            var catalog = await Reachable(() => _client.GetModelCatalogAsync(cancellationToken)).ConfigureAwait(false);
            _catalog = new CachedCatalog(catalog, Stopwatch.GetTimestamp());
            return catalog;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetHealthAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (ChatBackendException)
        {
            return false;
        }
    }

    /// <summary>Rewrites "connection refused" into a 503 that names the URL and how to start the daemon.</summary>
    private async Task<T> Reachable<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ChatBackendException e) when (e.Kind == ChatErrorKind.Unavailable && e.UpstreamStatus is null)
        {
            throw Unreachable(e);
        }
    }

    private async Task Reachable(Func<Task> call) => await Reachable(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    private ChatBackendException Unreachable(Exception inner) => new(ChatErrorKind.Unavailable,
        $"{_options.DisplayName} is not reachable at {_options.BaseUrl} ({inner.Message}). Start it with `{_options.StartCommand}`, "
        + $"point --{_options.Prefix} at where it runs, or start acptoapi with --auto-launch.", inner)
    {
        Code = "backend_unavailable",
    };

    private ChatBackendException UnknownModel(string model, ServeModelCatalog catalog)
    {
        var known = catalog.ModelNames();
        var sample = string.Join(", ", known.Take(12).Select(m => _options.Prefix + "/" + m)) + (known.Count > 12 ? ", …" : "");
        return new ChatBackendException(ChatErrorKind.NotFound,
            $"{_options.DisplayName} has no model '{model}'. Use {_options.Prefix}/<providerID>/<modelID>, {_options.Prefix}/<modelID> or {_options.Prefix}/default; "
            + $"it offers: {(known.Count == 0 ? "nothing (no provider configured)" : sample)} (GET /v1/models lists them all).")
        {
            Param = "model",
            Code = "model_not_found",
        };
    }

    public async Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var version = await _client.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return version is null
                ? BackendStatus.Unreachable(Target, "GET /global/health: not healthy", latency)
                : BackendStatus.Reached(Target, $"{_options.BinaryName} {version}", latency);
        }
        catch (ChatBackendException e)
        {
            var hint = _options.AutoLaunch ? "auto-launch on first request" : $"start it with `{_options.StartCommand}`";
            return BackendStatus.Unreachable(Target, $"{e.Message}; {hint}");
        }
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await GetCatalogAsync(cancellationToken).ConfigureAwait(false)).ModelNames();
        }
        catch (ChatBackendException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync().ConfigureAwait(false);
        try
        {
            await PendingCleanups.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The daemon is slow to answer; the sessions stay behind.
        }
        await _launcher.DisposeAsync().ConfigureAwait(false);
        _catalogLock.Dispose();
    }

    /// <summary>A reference type, so readers outside the lock never see a torn value.</summary>
    private sealed record CachedCatalog(ServeModelCatalog Catalog, long At);
}
