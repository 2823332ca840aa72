using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using AcpToApi.Backends.AgentSessions;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;
using AcpToApi.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// opencode or Kilo Code through their serve API. Per request: resolve the model from the daemon's provider list,
/// create a titled session, subscribe to its events on the shared stream, send the prompt, translate events until
/// the session is idle. Permission requests are answered with the configured reply (reject by default).
/// A client's tools reach the model through the gateway's MCP server, added to the daemon for the conversation; when
/// the model calls them the response ends with those calls and the session waits, parked in the registry all agent
/// backends share, for the request that brings the results. When a request ends early (client gone, error, idle
/// timeout) the session is aborted at once; every session the gateway created is deleted afterwards (once the daemon
/// answers again, if it was down).
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
    private readonly ConcurrentDictionary<string, byte> _orphans = new(StringComparer.Ordinal);
    private readonly IClientToolHost? _toolHost;
    private readonly ServeClientTools _mcpNames = new();
    private readonly AgentSessionRegistry<ServeSession> _sessions;
    private CachedCatalog? _catalog;

    public ServeApiBackend(HttpClient http, ServeApiOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null,
        IClientToolHost? toolHost = null)
    {
        _toolHost = toolHost;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ServeApiBackend>();
        _time = timeProvider ?? TimeProvider.System;
        _client = new ServeApiClient(http, options);
        _hub = new ServeEventHub(_client, options, _logger);
        _launcher = new ServeDaemonLauncher(options, _logger);
        _sessions = new AgentSessionRegistry<ServeSession>(options.Prefix, options.AgentSessionsMax, _time, _logger);
    }

    /// <summary>Sessions parked on client tool calls right now (tests).</summary>
    public int ParkedSessions => _sessions.Count;

    /// <summary>Sessions the daemon could not delete while it was down, to be deleted when it answers again (tests).</summary>
    public int OrphanedSessions => _orphans.Count;

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
        var session = await OpenAsync(request, cancellationToken).ConfigureAwait(false);
        var kept = false;
        try
        {
            var output = new ChatEventBuilder();
            var translator = session.Translator!;
            translator.Output = output;
            while (await session.Items.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (session.Items.TryRead(out var item))
                {
                    if (item is ClientToolCall call)
                    {
                        session.Accept(call);
                    }
                    else
                    {
                        translator.Translate((ServeEvent)item);
                        await AnswerPermissionsAsync(session, translator, output).ConfigureAwait(false);
                    }
                    if (!output.Completed && session.ParkableCallIds() is { } callIds)
                    {
                        // The model called the client's tools: the response ends with those calls, and the session waits,
                        // parked (its MCP calls held open), for the client's next request with the results. It is handed
                        // over before the client sees the end, so a fast client finds it.
                        output.CloseAll();
                        output.Complete(StopReason.ToolUse);
                        _sessions.Park(session, callIds, _options.ToolParkTimeout);
                        kept = true;
                    }
                    session.TurnFinished = output.Completed && !kept;
                    foreach (var chatEvent in output.Drain())
                    {
                        yield return chatEvent;
                    }
                    if (output.Completed)
                    {
                        yield break;
                    }
                }
            }
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{_options.DisplayName}'s event stream ended before session {session.Id} was idle.");
        }
        finally
        {
            if (!kept)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The session this request continues: the one parked on exactly the tool calls whose results it brings (they go
    /// to its MCP calls), or else a new one with the whole conversation in its prompt and the client's tools offered.
    /// </summary>
    private async Task<ServeSession> OpenAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var tools = _toolHost is null ? [] : ClientToolNames.Offered(request);
        if (tools.Count > 0 && ConversationKey.NewToolResults(request.Messages) is { } results
            && _sessions.TakeParked([.. results.Select(r => r.ToolCallId)]) is { } parked)
        {
            foreach (var result in results)
            {
                parked.Deliver(result.ToolCallId, new ClientToolResult(result.Text, result.IsError));
            }
            ServeLog.Continued(_logger, _options.DisplayName, parked.Id ?? "", results.Count);
            return parked;
        }
        ClientToolNames.Validate(tools);
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        var model = catalog.Resolve(request.Model) ?? throw UnknownModel(request.Model, catalog);

        var endpoint = tools.Count > 0 ? _toolHost!.Open(tools) : null;
        var session = new ServeSession(endpoint, endpoint is null ? null : _mcpNames.Rent(endpoint.Url.Port), CleanupAsync);
        try
        {
            if (session.McpServer is { } server)
            {
                await Reachable(() => _client.AddMcpServerAsync(server, endpoint!.Url, cancellationToken)).ConfigureAwait(false);
            }
            var sessionId = await Reachable(() => _client.CreateSessionAsync(ServePromptBuilder.Title(request))).ConfigureAwait(false);
            session.Created(sessionId);
            ServeLog.SessionCreated(_logger, _options.DisplayName, sessionId);
            // Subscribe before prompting: events sent before the subscription would be lost.
            var subscription = await Reachable(() => _hub.SubscribeAsync(sessionId, cancellationToken)).ConfigureAwait(false);
            session.Follow(subscription, new ServeStreamTranslator(new ChatEventBuilder(), _options.DisplayName, sessionId, session.McpServer, session.Tools?.Tools));
            RetryOrphans();
            await Reachable(() => _client.PromptAsync(sessionId, ServePromptBuilder.Build(request, model, session.McpServer), cancellationToken)).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task AnswerPermissionsAsync(ServeSession session, ServeStreamTranslator translator, ChatEventBuilder output)
    {
        foreach (var (permissionId, permission) in translator.TakePermissionRequests())
        {
            // The client's own tools are the client's to run: the daemon may call them. Everything else follows --agent-permission.
            var reply = permission is not null && ServeClientTools.AgentName(session.McpServer, permission) is not null
                ? ServePermissionReplies.Once
                : _options.AgentPermission;
            var answered = await _client.ReplyPermissionAsync(permissionId, reply).ConfigureAwait(false);
            ServeLog.PermissionAnswered(_logger, _options.DisplayName, permissionId, reply, answered ? "" : " (the reply failed)");
            if (!output.Completed)
            {
                output.Heartbeat($"{_options.DisplayName} asked permission {permissionId}; answered {reply}{(answered ? "" : " (the reply failed)")}");
            }
        }
    }

    /// <summary>A session's clean-up, run in the background and tracked for shutdown (disposing a <see cref="ServeSession"/> starts it).</summary>
    private Task CleanupAsync(ServeSession session)
    {
        Track(CleanupCoreAsync(session));
        return Task.CompletedTask;
    }

    private void Track(Task task)
    {
        _cleanups.TryAdd(task, 0);
        _ = task.ContinueWith(t => _cleanups.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Aborts the session unless its turn finished, deletes it, then disconnects the MCP server and closes the endpoint
    /// (after the abort, so the agent does not go on with an error for its open tool calls). A session the daemon could
    /// not delete (it was down) is remembered and deleted once the daemon answers again.
    /// </summary>
    private async Task CleanupCoreAsync(ServeSession session)
    {
        session.Subscription?.Dispose();
        if (session.Id is { } sessionId)
        {
            if (!session.TurnFinished)
            {
                SessionAborting?.Invoke(sessionId);
                Log(sessionId, await _client.AbortAsync(sessionId).ConfigureAwait(false), "abort");
            }
            if (_options.DeleteSessions && !await DeleteAsync(sessionId).ConfigureAwait(false))
            {
                _orphans.TryAdd(sessionId, 0);
            }
        }
        if (session.Tools is not null)
        {
            await session.Tools.DisposeAsync().ConfigureAwait(false);
        }
        if (session.McpServer is { } server)
        {
            if (!await _client.DisconnectMcpServerAsync(server).ConfigureAwait(false))
            {
                ServeLog.McpDisconnectFailed(_logger, _options.DisplayName, server);
            }
            _mcpNames.Return(server);
        }
    }

    private async Task<bool> DeleteAsync(string sessionId)
    {
        var deleted = await _client.DeleteSessionAsync(sessionId).ConfigureAwait(false);
        Log(sessionId, deleted, "delete");
        return deleted;
    }

    /// <summary>Deletes, in the background, the sessions a daemon could not delete while it was down (it answers again now).</summary>
    private void RetryOrphans()
    {
        foreach (var sessionId in _orphans.Keys)
        {
            if (!_orphans.TryRemove(sessionId, out _))
            {
                continue;
            }
            Track(DeleteOrphanAsync(sessionId));
        }
    }

    private async Task DeleteOrphanAsync(string sessionId)
    {
        if (!await DeleteAsync(sessionId).ConfigureAwait(false))
        {
            _orphans.TryAdd(sessionId, 0);
        }
    }

    private void Log(string sessionId, bool done, string action)
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
            if (version is not null)
            {
                RetryOrphans();
            }
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
        // Parked sessions first (aborted, deleted, their MCP servers disconnected), while the daemon is still followed.
        await _sessions.DisposeAsync().ConfigureAwait(false);
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
