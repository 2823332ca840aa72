namespace AcpToApi.Hosting;

/// <summary>
/// Gives memory back after a burst. The garbage collector runs only when something allocates, so once a burst of large
/// requests is over and the server idles, nothing collects: the heap that held those bodies (large-object heap
/// included) and the buffers pooled for them stay committed, and RSS stays at its peak. When requests came since the
/// last trim, none is in flight and none has come for <c>--idle-memory-trim</c> seconds, a full, compacting,
/// aggressive collection returns that memory to the system (the runtime also trims its array pools then). Kestrel hands
/// back its pooled buffers gradually over the following seconds, so while the server stays idle the trim is repeated
/// <see cref="TrimsPerIdle"/> times in all, one idle period apart. A server that is busy, or has stayed idle since those
/// trims, is never touched.
/// </summary>
internal sealed partial class IdleMemoryTrim(Configuration.ServerOptions options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    private int _inFlight;
    /// <summary>Trims after one burst: the first returns the heap, the later ones what Kestrel's pool let go of since.</summary>
    public const int TrimsPerIdle = 3;

    private int _pendingTrims;
    private long _lastTrim;
    private long _lastActivity = time.GetTimestamp();
    private int _trims;

    /// <summary>How many trims have run (for tests and /debug).</summary>
    public int Trims => Volatile.Read(ref _trims);

    /// <summary>The middleware half: counts requests in flight and when the last one ended.</summary>
    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _pendingTrims, TrimsPerIdle);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());
            Interlocked.Decrement(ref _inFlight);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.IdleMemoryTrimSeconds <= 0)
        {
            return;
        }
        var idle = TimeSpan.FromSeconds(options.IdleMemoryTrimSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Checked twice per idle period, so a trim comes at most one and a half periods after the last request.
                await Task.Delay(idle / 2, time, stoppingToken);
                if (Volatile.Read(ref _inFlight) == 0 && Volatile.Read(ref _pendingTrims) > 0
                    && time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) >= idle && time.GetElapsedTime(_lastTrim) >= idle)
                {
                    Trim();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Start-up is a burst too: building the app allocates about 13 MB (settings, services, routes, JSON metadata), all
    /// garbage once the server listens, and with a gen0 budget sized from the CPU's cache no collection would come until
    /// traffic allocated as much again. The process's entry point calls this once, as soon as the server listens and
    /// before its start-up report (a few ms with almost nothing live), so a fresh server idles at what it really holds.
    /// An app built in-process (the tests) never does: collecting is the process's business. Off with
    /// <c>--idle-memory-trim 0</c>, like the trims.
    /// </summary>
    public void CollectStartupGarbage()
    {
        if (options.IdleMemoryTrimSeconds <= 0)
        {
            return;
        }
        var (beforeMb, afterMb) = Collect();
        StartupCollected(logger, beforeMb, afterMb);
    }

    private void Trim()
    {
        Interlocked.Decrement(ref _pendingTrims);
        _lastTrim = time.GetTimestamp();
        var (beforeMb, afterMb) = Collect();
        Interlocked.Increment(ref _trims);
        Trimmed(logger, beforeMb, afterMb);
    }

    /// <summary>One full, compacting, aggressive collection; the working set before and after it, in MB.</summary>
    private static (long BeforeMb, long AfterMb) Collect()
    {
        const long Mb = 1024 * 1024;
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return (before / Mb, Environment.WorkingSet / Mb);
    }

    [LoggerMessage(31, LogLevel.Debug, "started: start-up garbage collected, working set {BeforeMb} MB -> {AfterMb} MB")]
    private static partial void StartupCollected(ILogger logger, long beforeMb, long afterMb);

    [LoggerMessage(30, LogLevel.Debug, "idle: memory trimmed, working set {BeforeMb} MB -> {AfterMb} MB")]
    private static partial void Trimmed(ILogger logger, long beforeMb, long afterMb);
}
