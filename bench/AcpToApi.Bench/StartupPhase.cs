using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace AcpToApi.Bench;

/// <summary>
/// Start-up, per gateway build (the JIT build and the Native AOT binary), on fresh processes started the way the main
/// columns are (same environment, same CPU): the time from exec to the first <c>GET /health</c> answered 200, then the
/// non-streaming throughput at c=32 in the first second from that moment (no warm-up at all), then the RSS idle.
/// </summary>
internal sealed class StartupPhase(BenchOptions options, LoadClient client, Results results, string logs)
{
    public const string HealthMetric = "startup.health";
    public const string FirstSecondMetric = "rps.first";
    public const string IdleMetric = "rss.idle";

    /// <param name="builds">Per column: its name and how to start it on a given port (the command's arguments).</param>
    public async Task RunAsync(IReadOnlyList<(string Name, Func<int, string[]> Command, IReadOnlyDictionary<string, string> Environment)> builds)
    {
        for (var run = 0; run < options.StartupRuns; run++)
        {
            foreach (var (name, command, environment) in builds)
            {
                try
                {
                    await OnceAsync(name, command, environment);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or IOException)
                {
                    results.Fail("startup", name, e.Message);
                }
            }

            Phases.Log($"  start-up run {run + 1}: " + string.Join("; ", builds.Select(b =>
                $"{b.Name} {Last(HealthMetric, b.Name, "0.0")} ms to /health, {Last(FirstSecondMetric, b.Name, "0")} requests in the first second, {Last(IdleMetric, b.Name, "0.0")} MB idle")));
        }
    }

    private async Task OnceAsync(string name, Func<int, string[]> command, IReadOnlyDictionary<string, string> environment)
    {
        var port = ServerProcess.FreePort();
        var health = new Uri($"http://127.0.0.1:{port}/health");
        using var poll = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
        var started = Stopwatch.GetTimestamp();
        await using var server = ServerProcess.Launch(name + "-startup", port, options.ServerCpus, options.Root,
            Path.Combine(logs, $"{name}-startup.log"), environment, isolated: false, command(port));
        var deadline = started + Stats.MsToTicks(60_000);
        while (true)
        {
            if (Stopwatch.GetTimestamp() > deadline || server.HasExited)
            {
                throw new TimeoutException($"{name} answered no /health 200 within 60 s{(server.HasExited ? " (it exited)" : "")}");
            }

            try
            {
                using var response = await poll.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(1);
        }

        var ready = Stopwatch.GetTimestamp();
        results.Add(HealthMetric, name, Stats.TicksToMs(ready - started));

        // The first second at c=32, counted from the first 200: what a client sees right after start, with no warm-up.
        var target = new Target(name, name, new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), "openai/fake-model", [], server);
        var end = ready + Stats.MsToTicks(1000);
        long completed = 0;
        string? failure = null;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (failure is null)
            {
                try
                {
                    await client.CompleteAsync(target, CancellationToken.None);
                }
                catch (Exception e)
                {
                    failure ??= e.Message;
                    return;
                }

                if (Stopwatch.GetTimestamp() > end)
                {
                    return;
                }

                Interlocked.Increment(ref completed);
            }
        })));
        if (failure is not null)
        {
            throw new InvalidOperationException($"first-second load on {name}: {failure}");
        }

        results.Add(FirstSecondMetric, name, completed);
        // Idle after that second of load: the process as it sits waiting for the next client.
        await Task.Delay(2000);
        results.Add(IdleMetric, name, server.RssMb());
    }

    private string Last(string metric, string name, string format) =>
        results.Values(metric, name) is { Count: > 0 } values ? values[^1].ToString(format, CultureInfo.InvariantCulture) : "—";
}
