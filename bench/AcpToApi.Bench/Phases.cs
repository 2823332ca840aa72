using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AcpToApi.Bench;

/// <summary>The measurements of issue 7, each against every column, interleaved so background noise hits all columns alike.</summary>
internal sealed class Phases(BenchOptions options, LoadClient client, IReadOnlyList<Target> targets, ServerProcess fake, Results results)
{
    public const int PacedDeltas = 64;
    public const int PaceMs = 20;
    public const double LateMs = 100;
    private const int Block = 250;

    /// <summary>The stream level whose run (connections open) also measures CPU per forwarded frame: one every column holds.</summary>
    public const int CpuLevel = 250;
    private static readonly string ZeroDelay = """{"tokens":["Hello"," from"," fake"],"delayMs":0}""";
    private static readonly string Paced = "{\"tokens\":[" + string.Join(',', Enumerable.Range(0, PacedDeltas).Select(i => $"\" t{i}\"")) + "],\"delayMs\":" + PaceMs + "}";
    private static readonly string SoakScript = "{\"tokens\":[" + string.Join(',', Enumerable.Range(0, 16).Select(i => $"\" s{i}\"")) + "],\"delayMs\":5}";
    private static readonly byte[] SoakExpected = " s0 s1 s2"u8.ToArray();
    private readonly Dictionary<string, (int Exact, int Streams, int Frames)> frameCounts = [];
    private readonly HttpClient control = new() { BaseAddress = new Uri($"http://127.0.0.1:{fake.Port}/") };

    public List<string> Details { get; } = [];

    public static void Log(string text) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {text}");

    public async Task CheckAsync()
    {
        await SetScriptAsync(ZeroDelay);
        foreach (var target in targets)
        {
            foreach (var stream in new[] { false, true })
            {
                try
                {
                    if (stream)
                    {
                        await client.StreamAsync(target, CancellationToken.None);
                    }
                    else
                    {
                        await client.CompleteAsync(target, CancellationToken.None);
                    }

                    Log($"  check {target.Name} {(stream ? "stream" : "whole")}: ok");
                }
                catch (Exception ex)
                {
                    Log($"  check {target.Name} {(stream ? "stream" : "whole")}: FAILED {ex.Message}");
                }
            }
        }
    }

    /// <summary>
    /// Sustained load per column (c=16, alternating whole / streamed) so tiered JIT and PGO reach their final code
    /// (a freshly started gateway ran at half its warm throughput in profiling), then c=1 requests.
    /// </summary>
    /// <summary>
    /// The load client is a JIT-compiled .NET program too: before it times a fresh server's first second it runs the
    /// same load against the fake for the warm-up time, so that second measures the server's warm-up, not the client's.
    /// </summary>
    public async Task WarmClientAsync()
    {
        await SetScriptAsync(ZeroDelay);
        var direct = targets[0];
        var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(options.WarmupSeconds * 1000.0);
        await RunWorkersAsync(options.Concurrency, async _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await client.CompleteAsync(direct, CancellationToken.None);
            }
        });
        Log($"  load client warmed up against {direct.Name}: {options.WarmupSeconds} s at c={options.Concurrency}");
    }

    public async Task WarmUpAsync()
    {
        await SetScriptAsync(ZeroDelay);
        foreach (var target in targets)
        {
            long ok = 0, failures = 0;
            var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(options.WarmupSeconds * 1000.0);
            await RunWorkersAsync(16, async worker =>
            {
                for (var n = worker; Stopwatch.GetTimestamp() < deadline; n++)
                {
                    try
                    {
                        _ = n % 2 == 0
                            ? await client.CompleteAsync(target, CancellationToken.None)
                            : (await client.StreamAsync(target, CancellationToken.None)).Start;
                        Interlocked.Increment(ref ok);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failures);
                        await Task.Delay(20);
                    }
                }
            });
            for (var i = 0; i < options.WarmupSequential; i++)
            {
                try
                {
                    await client.CompleteAsync(target, CancellationToken.None);
                    ok++;
                }
                catch (Exception)
                {
                    failures++;
                }
            }

            Log($"  warm-up {target.Name}: {options.WarmupSeconds} s at c=16 + {options.WarmupSequential} at c=1: {ok} ok, {failures} failed");
        }
    }

    public void SampleRss(string metric)
    {
        foreach (var target in targets)
        {
            results.Add(metric, target.Name, target.Process.RssMb());
        }
    }

    /// <summary>1. Non-streaming, concurrency 1, zero-delay upstream: latency percentiles per column and repeat.</summary>
    public async Task LatencyAsync()
    {
        await SetScriptAsync(ZeroDelay);
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            var samples = await InterleavedAsync("lat", options.Requests, async target => [await client.CompleteAsync(target, CancellationToken.None)]);
            foreach (var (name, list) in samples)
            {
                var sorted = Stats.Sorted(list);
                results.Add("lat.p50", name, Stats.PercentileMs(sorted, 50));
                results.Add("lat.p99", name, Stats.PercentileMs(sorted, 99));
                results.Add("lat.p999", name, Stats.PercentileMs(sorted, 99.9));
            }

            Log($"  latency repeat {repeat + 1}: " + Summary("lat.p50", "lat.p99"));
        }
    }

    /// <summary>2a. Streaming, concurrency 1, zero-delay upstream: time to the first frame with content.</summary>
    public async Task FirstFrameAsync()
    {
        await SetScriptAsync(ZeroDelay);
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            var samples = await InterleavedAsync("ttft", options.TtftStreams, async target =>
            {
                var trace = await client.StreamAsync(target, CancellationToken.None);
                return trace.ContentFrames.Count == 3
                    ? [trace.FirstContent - trace.Start]
                    : throw new BenchFailure($"{trace.ContentFrames.Count} content frames for 3 upstream deltas");
            });
            foreach (var (name, list) in samples)
            {
                var sorted = Stats.Sorted(list);
                results.Add("ttft.p50", name, Stats.PercentileMs(sorted, 50));
                results.Add("ttft.p99", name, Stats.PercentileMs(sorted, 99));
            }

            Log($"  first frame repeat {repeat + 1}: " + Summary("ttft.p50", "ttft.p99"));
        }
    }

    /// <summary>2b. Paced upstream (64 deltas, 20 ms apart): first content frame, gaps between frames, frames out = frames in.</summary>
    public async Task PacedAsync()
    {
        await SetScriptAsync(Paced);
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            foreach (var target in targets)
            {
                var traces = new List<StreamTrace>();
                string? failure = null;
                await RunWorkersAsync(options.PacedConcurrency, async worker =>
                {
                    for (var i = worker; i < options.PacedStreams && failure is null; i += options.PacedConcurrency)
                    {
                        try
                        {
                            var trace = await client.StreamAsync(target, CancellationToken.None);
                            lock (traces)
                            {
                                traces.Add(trace);
                            }
                        }
                        catch (Exception ex)
                        {
                            failure ??= ex.Message;
                        }
                    }
                });
                if (failure is not null)
                {
                    results.Fail("paced", target.Name, failure);
                    continue;
                }

                var firsts = Stats.Sorted(traces.Select(t => t.FirstContent - t.Start));
                var gaps = Stats.Sorted(traces.SelectMany(t => t.ContentFrames.Zip(t.ContentFrames.Skip(1), (a, b) => b - a)));
                results.Add("paced.ttft.p50", target.Name, Stats.PercentileMs(firsts, 50));
                results.Add("paced.ttft.p99", target.Name, Stats.PercentileMs(firsts, 99));
                results.Add("gap.p50", target.Name, Stats.PercentileMs(gaps, 50));
                results.Add("gap.p99", target.Name, Stats.PercentileMs(gaps, 99));
                results.Add("gap.max", target.Name, Stats.PercentileMs(gaps, 100));
                var exact = traces.Count(t => t.ContentFrames.Count == PacedDeltas);
                results.Add("frames.exact", target.Name, exact == traces.Count ? 1 : 0);
                var total = traces.Sum(t => t.ContentFrames.Count);
                var (prevOk, prevAll, prevFrames) = frameCounts.GetValueOrDefault(target.Name);
                frameCounts[target.Name] = (prevOk + exact, prevAll + traces.Count, prevFrames + total);
                results.Note("frames", target.Name,
                    $"{prevOk + exact}/{prevAll + traces.Count} streams with {PacedDeltas}/{PacedDeltas}; {prevFrames + total} frames for {(prevAll + traces.Count) * PacedDeltas} deltas");
            }

            Log($"  paced repeat {repeat + 1}: " + Summary("gap.p50", "gap.p99", "paced.ttft.p99"));
        }
    }

    /// <summary>3. Throughput, non-streaming, concurrency 32, zero-delay upstream.</summary>
    public async Task ThroughputAsync(string metric = "rps")
    {
        await SetScriptAsync(ZeroDelay);
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            foreach (var target in targets)
            {
                var stop = false;
                long completed = 0;
                string? failure = null;
                var workers = RunWorkersAsync(options.Concurrency, async _ =>
                {
                    while (!Volatile.Read(ref stop) && failure is null)
                    {
                        try
                        {
                            await client.CompleteAsync(target, CancellationToken.None);
                            Interlocked.Increment(ref completed);
                        }
                        catch (Exception ex)
                        {
                            failure ??= ex.Message;
                        }
                    }
                });
                await Task.Delay(1000); // ramp, not counted
                var c0 = Interlocked.Read(ref completed);
                var t0 = Stopwatch.GetTimestamp();
                await Task.Delay(options.ThroughputSeconds * 1000);
                var c1 = Interlocked.Read(ref completed);
                var seconds = Stats.TicksToMs(Stopwatch.GetTimestamp() - t0) / 1000;
                Volatile.Write(ref stop, true);
                await workers.WaitAsync(TimeSpan.FromSeconds(90));
                if (failure is not null)
                {
                    results.Fail(metric, target.Name, failure);
                }
                else
                {
                    results.Add(metric, target.Name, (c1 - c0) / seconds);
                }
            }

            Log($"  throughput repeat {repeat + 1}: " + Summary(metric));
        }
    }

    /// <summary>4 + 5. Paced streams held at once (levels up to 1,000, ramped over 1 s); RSS at the top level and a minute after (--after-streams-seconds).</summary>
    public async Task ConcurrentStreamsAsync()
    {
        await SetScriptAsync(Paced);
        var top = options.StreamLevels[^1];
        foreach (var target in targets)
        {
            // Each level twice: first while the connections (client → server and, for a gateway, gateway → upstream)
            // are being opened, then again with them open. "Held" is judged on both, reported separately.
            int heldCold = 0, heldWarm = 0;
            var detail = new StringBuilder();
            foreach (var level in options.StreamLevels)
            {
                var peak = 0.0;
                using var sampling = new CancellationTokenSource();
                var sampler = level == top ? Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        peak = Math.Max(peak, target.Process.RssMb());
                        await Task.Delay(50, CancellationToken.None);
                    }
                }) : Task.CompletedTask;
                var cold = await RunLevelAsync(target, level);
                await Task.Delay(500);
                // CPU per forwarded frame: the column's own server, and the fake that fed it (for direct, one and the same).
                var (ownBefore, fakeBefore) = (target.Process.CpuSeconds(), fake.CpuSeconds());
                var warm = await RunLevelAsync(target, level);
                if (level == CpuLevel && warm.Frames > 0)
                {
                    results.Add("cpu.frame", target.Name, (target.Process.CpuSeconds() - ownBefore) * 1e6 / warm.Frames);
                    results.Add("cpu.frame.fake", target.Name, (fake.CpuSeconds() - fakeBefore) * 1e6 / warm.Frames);
                }
                await sampling.CancelAsync();
                await sampler;
                if (level == top)
                {
                    results.Add("rss.top", target.Name, peak);
                }

                detail.Append(CultureInfo.InvariantCulture,
                    $"{level}: opening connections {(cold.Ok ? "held" : "NOT held")} ({cold.Detail}), connections open {(warm.Ok ? "held" : "NOT held")} ({warm.Detail}); ");
                heldCold = cold.Ok ? level : heldCold;
                heldWarm = warm.Ok ? level : heldWarm;
                if (!cold.Ok && !warm.Ok && cold.Failed && warm.Failed)
                {
                    break; // every stream fails: no point in larger levels
                }

                await Task.Delay(1000);
            }

            results.Add("streams.max", target.Name, heldWarm);
            results.Add("streams.cold", target.Name, heldCold);
            results.Note("streams", target.Name, detail.ToString().TrimEnd(' ', ';'));
            await Task.Delay(options.AfterStreamsSeconds * 1000);
            results.Add("rss.after", target.Name, target.Process.RssMb());
            Log($"  streams {target.Name}: held {heldWarm} (opening connections: {heldCold}); {detail}");
        }
    }

    /// <summary>5. Soak: mixed streaming / non-streaming load on every gateway at once; RSS sampled throughout.</summary>
    public async Task SoakAsync()
    {
        await SetScriptAsync(SoakScript);
        var soaked = targets.Where(t => t.Name != "direct").ToList();
        var interval = Math.Max(2, options.SoakSeconds / 60);
        var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(options.SoakSeconds * 1000.0);
        var ok = new long[soaked.Count];
        var failed = new long[soaked.Count];
        var firstError = new string?[soaked.Count];
        var samples = soaked.Select(_ => new List<double>()).ToArray();
        var load = soaked.Select((target, index) => RunWorkersAsync(8, async worker =>
        {
            for (var n = 0L; Stopwatch.GetTimestamp() < deadline; n++)
            {
                try
                {
                    if ((n + worker) % 2 == 0)
                    {
                        await client.CompleteAsync(target, CancellationToken.None, SoakExpected);
                    }
                    else
                    {
                        await client.StreamAsync(target, CancellationToken.None);
                    }

                    Interlocked.Increment(ref ok[index]);
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failed[index]);
                    firstError[index] ??= ex.Message;
                    await Task.Delay(20);
                }
            }
        })).ToArray();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (var i = 0; i < soaked.Count; i++)
            {
                samples[i].Add(soaked[i].Process.RssMb());
            }

            await Task.Delay(interval * 1000);
        }

        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(120));
        for (var i = 0; i < soaked.Count; i++)
        {
            samples[i].Add(soaked[i].Process.RssMb());
            var s = samples[i];
            var name = soaked[i].Name;
            results.Add("soak.start", name, s[0]);
            results.Add("soak.end", name, s[^1]);
            results.Add("soak.peak", name, s.Max());
            results.Add("soak.growth", name, s[^1] - s[0]);
            results.Add("soak.growth2", name, s[^1] - s[s.Count / 2]);
            results.Note("soak", name, $"{ok[i]} ok, {failed[i]} failed{(firstError[i] is null ? "" : $" (first: {firstError[i]})")}");
            Details.Add($"RSS samples of {name} during the soak (MB, every {interval} s): " + string.Join(' ', s.Select(v => v.ToString("0", CultureInfo.InvariantCulture))));
            Log($"  soak {name}: {s[0]:0.0} -> {s[^1]:0.0} MB; {results.NoteOf("soak", name)}");
        }
    }

    private static async Task RunWorkersAsync(int count, Func<int, Task> work) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => work(i))));

    private async Task<(bool Ok, bool Failed, string Detail, long Frames)> RunLevelAsync(Target target, int level)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tasks = Enumerable.Range(0, level).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i * 1000 / level);
            return await client.StreamAsync(target, timeout.Token);
        })).ToArray();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // counted below
        }

        var failures = tasks.Where(t => !t.IsCompletedSuccessfully).ToList();
        var traces = tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
        var pace = Stats.MsToTicks(PaceMs);
        var worstFirst = traces.Count == 0 ? 0 : traces.Max(t => t.FirstContent - t.Start - pace);
        var worstGap = traces.Count == 0 ? 0 : traces.Max(t => t.ContentFrames.Zip(t.ContentFrames.Skip(1), (a, b) => b - a - pace).DefaultIfEmpty(0).Max());
        var worstMs = Stats.TicksToMs(Math.Max(worstFirst, worstGap));
        var incomplete = traces.Count(t => t.ContentFrames.Count != PacedDeltas);
        string? failure = failures.Count > 0
            ? $"{failures.Count} failed: {failures[0].Exception?.GetBaseException().Message}"
            : incomplete > 0 ? $"{incomplete} streams with a frame count other than {PacedDeltas}" : null;
        var detail = failure ?? string.Create(CultureInfo.InvariantCulture,
            $"first frame ≤ {Stats.TicksToMs(worstFirst):0.#} ms late, gaps ≤ {Stats.TicksToMs(worstGap):0.#} ms late");
        return (failure is null && worstMs <= LateMs, failures.Count == level, detail, traces.Sum(t => (long)t.ContentFrames.Count));
    }

    /// <summary>Runs <paramref name="count"/> sequential calls per column in blocks, rotating the columns; a failing column stops.</summary>
    private async Task<Dictionary<string, List<long>>> InterleavedAsync(string group, int count, Func<Target, Task<long[]>> once)
    {
        var samples = targets.ToDictionary(t => t.Name, _ => new List<long>(count));
        var failed = new HashSet<string>();
        for (var done = 0; done < count; done += Block)
        {
            foreach (var target in targets.Where(t => !failed.Contains(t.Name)))
            {
                for (var i = 0; i < Math.Min(Block, count - done); i++)
                {
                    try
                    {
                        samples[target.Name].AddRange(await once(target));
                    }
                    catch (Exception ex)
                    {
                        results.Fail(group, target.Name, ex.Message);
                        failed.Add(target.Name);
                        break;
                    }
                }
            }
        }

        foreach (var name in failed)
        {
            samples.Remove(name);
        }

        return samples;
    }

    private string Summary(params string[] metrics) => string.Join("; ", targets.Select(t =>
        t.Name + " " + string.Join(" / ", metrics.Select(m => results.Values(m, t.Name) is { Count: > 0 } v
            ? v[^1].ToString(m.StartsWith("rps", StringComparison.Ordinal) ? "0" : "0.000", CultureInfo.InvariantCulture)
            : "failed"))));

    private async Task SetScriptAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await control.PostAsync(new Uri("_fake/default", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }
}
