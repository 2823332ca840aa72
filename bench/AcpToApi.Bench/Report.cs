using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AcpToApi.Bench;

/// <summary>The Markdown result: machine, main table (medians, min–max, added and ratio to direct), goals, details.</summary>
internal sealed class Report(BenchOptions options, IReadOnlyList<Target> targets, Results results)
{
    private enum Kind { Latency, Rate, Memory, Count, CpuPerFrame }

    private readonly record struct Row(string Label, string Metric, string Group, Kind Kind, string Goal = "");

    public string LoadAtStart { get; set; } = "";

    public string LoadAtEnd { get; set; } = "";

    public string LoadPeak { get; set; } = "";

    public DateTime Started { get; set; }

    public DateTime Finished { get; set; }

    private string AgentCell(string kind)
    {
        if (results.Failure("agent." + kind, AgentPhase.Column) is { } failure)
        {
            return Failed(failure);
        }

        var samples = results.Values("agent." + kind, AgentPhase.Column);
        if (samples.Count == 0)
        {
            return "not measured";
        }

        if (kind == "claude")
        {
            var direct = results.Values("agent.claude.direct", AgentPhase.Column);
            var through = results.Values("agent.claude.gateway", AgentPhase.Column);
            return $"{Signed(samples[0])} ms, median of per-round differences (median first frame {Ms(Stats.Median(through))} ms through acptoapi vs first delta {Ms(Stats.Median(direct))} ms running the CLI directly)";
        }

        var sorted = samples.Order().ToArray();
        return $"+{Ms(Nearest(sorted, 50))} / +{Ms(Nearest(sorted, 99))} ms p50 / p99 (max +{Ms(sorted[^1])})";
    }

    private static double Nearest(double[] sorted, double percent) => sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Ms(value);

    public string Table()
    {
        var top = options.StreamLevels[^1];
        Row[] rows =
        [
            new("Non-streaming c=1, p50", "lat.p50", "lat", Kind.Latency),
            new("Non-streaming c=1, p99", "lat.p99", "lat", Kind.Latency, "added ≤ 0.25 ms"),
            new("Non-streaming c=1, p99.9", "lat.p999", "lat", Kind.Latency),
            new("Streaming first content frame c=1, p50", "ttft.p50", "ttft", Kind.Latency),
            new("Streaming first content frame c=1, p99", "ttft.p99", "ttft", Kind.Latency, "added ≤ 0.5 ms"),
            new("Paced: first content frame, p50", "paced.ttft.p50", "paced", Kind.Latency),
            new("Paced: first content frame, p99", "paced.ttft.p99", "paced", Kind.Latency),
            new("Paced: inter-frame gap, p50", "gap.p50", "paced", Kind.Latency),
            new("Paced: inter-frame gap, p99", "gap.p99", "paced", Kind.Latency),
            new("Paced: inter-frame gap, max", "gap.max", "paced", Kind.Latency),
            new("Throughput c=32, requests/s", "rps", "rps", Kind.Rate, "≥ 60% of direct"),
            new("Throughput c=32, requests/s, upstream moved to the client's CPU (each gateway alone on its CPU)", "rps.split", "rps.split", Kind.Rate, "(for comparison)"),
            new($"Paced streams held, connections open (of {string.Join('/', options.StreamLevels)})", "streams.max", "streams", Kind.Count, $"≥ {top}"),
            new("Paced streams held, while opening the connections", "streams.cold", "streams", Kind.Count),
            new($"CPU per forwarded frame at {Phases.CpuLevel} paced streams (the column's server; for a gateway also the fake feeding it)", "cpu.frame", "streams", Kind.CpuPerFrame,
                "gateway + fake ≤ 20 µs (1,000 streams on one core)"),
            new("Exec → first /health 200, fresh process", StartupPhase.HealthMetric, "startup", Kind.Latency, "≤ 100 ms"),
            new("Throughput c=32 in the first second after start (no warm-up), requests", StartupPhase.FirstSecondMetric, "startup", Kind.Rate, "AOT: full speed from the first second"),
            new("RSS fresh (started, no request yet)", "rss.fresh", "rss", Kind.Memory, "≤ 40 MB idle"),
            new("RSS idle 2 s after that first second of load (fresh process)", StartupPhase.IdleMetric, "startup", Kind.Memory),
            new("RSS idle after warm-up", "rss.warm", "rss", Kind.Memory),
            new($"RSS peak at {top} paced streams", "rss.top", "rss", Kind.Memory, "≤ 120 MB"),
            new($"RSS {options.AfterStreamsSeconds} s after the {top} streams", "rss.after", "rss", Kind.Memory, "back near idle"),
            new($"Soak {options.SoakSeconds} s: RSS at start → end", "soak.end", "soak", Kind.Memory),
            new($"Soak {options.SoakSeconds} s: RSS growth (whole / second half)", "soak.growth", "soak", Kind.Memory),
        ];
        var text = new StringBuilder();
        text.AppendLine("| Measurement | " + string.Join(" | ", targets.Select(t => t.Title)) + " | Goal (acptoapi) |");
        text.AppendLine("|---|" + string.Concat(targets.Select(_ => "---|")) + "---|");
        foreach (var row in rows)
        {
            text.Append("| ").Append(row.Label).Append(" | ");
            foreach (var target in targets)
            {
                text.Append(Cell(row, target.Name)).Append(" | ");
            }

            text.AppendLine(row.Goal + " |");
        }

        text.Append("| Paced: frames out = frames in | ");
        foreach (var target in targets)
        {
            text.Append(results.Failure("paced", target.Name) is { } f ? Failed(f) : results.NoteOf("frames", target.Name) ?? "—").Append(" | ");
        }

        text.AppendLine("every delta its own frame |");
        foreach (var kind in new[] { "opencode", "kilo", "claude" })
        {
            text.Append($"| Agent backend {kind}: added from its first delta to the client's first frame | ");
            foreach (var target in targets)
            {
                text.Append(target.Name == AgentPhase.Column ? AgentCell(kind) : target.Name == "direct" ? "— (the backend itself is the reference)"
                    : target.Name == "aot" ? "— (measured on the JIT build)" : "no agent backends");
                text.Append(" | ");
            }

            text.AppendLine("few ms (\"within a few ms of the backend's first token\") |");
        }

        return text.ToString();
    }

    public string Goals()
    {
        var top = options.StreamLevels[^1];
        var text = new StringBuilder();
        var gateways = targets.Where(t => t.Name is "acptoapi" or "aot").ToList();
        text.AppendLine("| Goal | " + string.Join(" | ", gateways.Select(g => $"{g.Title} | Met")) + " | portkey (for comparison) |");
        text.AppendLine("|---|" + string.Concat(gateways.Select(_ => "---|---|")) + "---|");
        Goal(text, gateways, "Added non-streaming p99 at c=1 ≤ 0.25 ms", t => Added("lat.p99", t), v => v <= 0.25, "+0.000 ms;-0.000 ms;0.000 ms", "lat");
        Goal(text, gateways, "Added first-frame p99 ≤ 0.5 ms", t => Added("ttft.p99", t), v => v <= 0.5, "+0.000 ms;-0.000 ms;0.000 ms", "ttft");
        Goal(text, gateways, "Throughput c=32 ≥ 60% of direct", t => Ratio("rps", t), v => v >= 0.6, "0%", "rps");
        if (results.Values("rps.split", "direct").Count > 0)
        {
            Goal(text, gateways, "(same, gateway alone on its CPU, upstream on the client's)", t => Ratio("rps.split", t), v => v >= 0.6, "0%", "rps.split");
        }
        Goal(text, gateways, $"≥ {top} paced streams, no frame > {Phases.LateMs} ms late", t => Median("streams.max", t), v => v >= top, "0", "streams");
        Goal(text, gateways, $"RSS ≤ 120 MB at {top} streams", t => Median("rss.top", t), v => v <= 120, "0 MB", "rss");
        Goal(text, gateways, "Frames out = frames in", t => results.Values("frames.exact", t) is { Count: > 0 } v ? v.Min() : double.NaN,
            v => v >= 1, "yes;no", "paced");
        if (gateways.Any(g => g.Name == "aot"))
        {
            // Issue 16: the native binary's goals, the JIT build alongside for comparison.
            Goal(text, gateways, "Exec → first /health 200 ≤ 100 ms", t => Median(StartupPhase.HealthMetric, t), v => v <= 100, "0.0 ms", "startup");
            Goal(text, gateways, "RSS fresh (idle) ≤ 40 MB", t => Median("rss.fresh", t), v => v <= 40, "0.0 MB", "rss");
            Goal(text, gateways, "Throughput c=32 after warm-up ≥ the JIT build's", t => Median("rps", t) / Median("rps", "acptoapi"), v => v >= 0.95, "0.00× JIT", "rps");
            Goal(text, gateways, "First second at c=32 (no warm-up) ≥ 90% of its own warm rate", t => Median(StartupPhase.FirstSecondMetric, t) / Median("rps", t), v => v >= 0.9, "0%", "startup");
        }
        return text.ToString();
    }

    public string Document()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark {Started:yyyy-MM-dd HH:mm} UTC{(options.Quick ? " (quick smoke run: small counts, not a measurement)" : "")}");
        text.AppendLine();
        text.AppendLine("Produced by `bench/run.sh` (see `bench/README.md`). Cells: median over repeats, (min–max) when there are several;");
        text.AppendLine("for the gateways also the difference to direct (+added) and the ratio to direct (×). A failure is that column's result.");
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        foreach (var line in Machine())
        {
            text.AppendLine("- " + line);
        }

        text.AppendLine();
        text.AppendLine("## Results");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        text.AppendLine("## Goals (issue 7)");
        text.AppendLine();
        text.Append(Goals());
        text.AppendLine();
        text.AppendLine("## Details");
        text.AppendLine();
        foreach (var target in targets)
        {
            if (results.NoteOf("streams", target.Name) is { } streams)
            {
                text.AppendLine($"- Paced stream levels, {target.Name} (each level run twice, first opening the connections, then with them open; starts ramped over 1 s; 64 deltas 20 ms apart; a frame is late by its gap minus 20 ms, the first by its time minus 20 ms; held = every stream complete and nothing more than {Phases.LateMs} ms late; the table shows the largest level held): {streams}");
            }
        }

        foreach (var target in targets)
        {
            if (results.NoteOf("soak", target.Name) is { } soak)
            {
                text.AppendLine($"- Soak requests, {target.Name} (8 workers, alternating whole / streamed, 16 deltas 5 ms apart): {soak}");
            }
        }

        foreach (var target in targets)
        {
            foreach (var group in new[] { "startup", "lat", "ttft", "paced", "rps", "rps.split", "streams" })
            {
                if (results.Failure(group, target.Name) is { } failure)
                {
                    text.AppendLine($"- {target.Name} failed `{group}`: {failure}");
                }
            }
        }

        if (options.Runs("agents"))
        {
            text.AppendLine($"- Agent backends (item 6), the real pinned CLIs from tests/backends against the fake, {options.AgentRuns} measured rounds each after warm-up: " +
                "opencode and kilo: the harness's own subscription to the daemon's `GET /event` stamps the first `message.part.delta`, the client stamps the first content frame through acptoapi; the cell is frame − delta, p50 / p99 (max) over the rounds. " +
                "claude: its deltas are on a stdout only its parent sees, so the harness runs the same command itself (argv, environment, sandbox and stdin from AcpToApi.Core) and stamps its first `text_delta` line, and asks the same through acptoapi, rounds interleaved, both timed from the moment of asking; the cell is the median of the per-round differences (process spawn, HTTP in and out, translation), with each side's median.");
        }
        text.AppendLine("- The direct column's RSS is the fake upstream's own process, for reference; the soak loads the gateways only (all at once), so direct has no soak figures.");
        text.AppendLine();
        text.AppendLine("### Raw per-repeat figures (ms, requests/s or MB)");
        text.AppendLine();
        foreach (var (metric, target, values) in results.All().OrderBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Target, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {metric} {target}: {string.Join(", ", values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}");
        }

        foreach (var detail in ExtraDetails)
        {
            text.AppendLine("- " + detail);
        }

        return text.ToString();
    }

    public List<string> ExtraDetails { get; } = [];

    private IEnumerable<string> Machine()
    {
        var cpuinfo = ReadOr("/proc/cpuinfo");
        var model = cpuinfo.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var processors = cpuinfo.Split('\n').Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        var memKb = ReadOr("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        yield return $"nproc: {processors}; CPU: {model}";
        yield return $"Memory: {memKb}";
        yield return $"Kernel: {ReadOr("/proc/sys/kernel/osrelease").Trim()} ({RuntimeInformation.OSDescription})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription} (SDK {Run("dotnet", "--version")}); Node: {Run("node", "--version")}; peer: @portkey-ai/gateway 1.15.2";
        yield return $"Load average (1/5/15 min): at start {LoadAtStart}; peak 1-min during the run {LoadPeak}; at end {LoadAtEnd}";
        yield return options.ServerCpus is null
            ? "CPU pinning: none"
            : $"CPU pinning (taskset): load client on CPU {options.ClientCpus ?? "any"}, servers (fake, acptoapi, acptoapi AOT, portkey) on CPU {options.ServerCpus}";
        if (options.GatewayEnvironment.Count > 0)
        {
            yield return "acptoapi started with extra environment: " + string.Join(", ", options.GatewayEnvironment.Select(kv => $"`{kv.Key}={kv.Value}`"));
        }

        yield return $"Run: {Started:HH:mm:ss}–{Finished:HH:mm:ss} UTC; warm-up {options.WarmupSeconds} s at c=16 + {options.WarmupSequential} at c=1 per column; repeats {options.Repeats}; {options.Requests} requests c=1 per repeat; {options.TtftStreams} streams for first frame; {options.PacedStreams} paced streams (c={options.PacedConcurrency}); throughput {options.ThroughputSeconds} s at c={options.Concurrency}; soak {options.SoakSeconds} s";
    }

    private string Cell(Row row, string target)
    {
        if (results.Failure(row.Group, target) is { } failure)
        {
            return Failed(failure);
        }

        var values = results.Values(row.Metric, target);
        if (values.Count == 0)
        {
            return "—";
        }

        switch (row.Kind)
        {
            case Kind.Latency:
                var ms = Range(values, "0.000") + " ms";
                return target == "direct" || results.Values(row.Metric, "direct").Count == 0
                    ? ms
                    : $"{ms}<br>{Range(Diffs(row.Metric, target), "+0.000;-0.000;0.000")} ms, ×{Range(Ratios(row.Metric, target), "0.00")}";
            case Kind.Rate:
                var rate = Range(values, "0");
                return target == "direct" || results.Values(row.Metric, "direct").Count == 0
                    ? rate
                    : $"{rate}<br>×{Range(Ratios(row.Metric, target), "0.00")} of direct";
            case Kind.Memory when row.Metric == "soak.end":
                return $"{Range(results.Values("soak.start", target), "0")} → {Range(values, "0")} MB (peak {Range(results.Values("soak.peak", target), "0")})";
            case Kind.Memory when row.Metric == "soak.growth":
                return $"{Range(values, "+0.0;-0.0;0.0")} / {Range(results.Values("soak.growth2", target), "+0.0;-0.0;0.0")} MB";
            case Kind.Memory:
                return Range(values, "0.0") + " MB";
            case Kind.CpuPerFrame:
                return target == "direct"
                    ? Range(values, "0.0") + " µs"
                    : $"{Range(values, "0.0")} µs<br>+ fake {Range(results.Values("cpu.frame.fake", target), "0.0")} µs";
            default:
                return Range(values, "0");
        }
    }

    private void Goal(StringBuilder text, IReadOnlyList<Target> gateways, string goal, Func<string, double> measure, Func<double, bool> met, string format, string group)
    {
        string Show(string target)
        {
            if (results.Failure(group, target) is { } failure)
            {
                return Failed(failure);
            }

            var v = measure(target);
            return double.IsNaN(v) ? "—" : format == "yes;no" ? (v >= 1 ? "yes" : "no") : v.ToString(format, CultureInfo.InvariantCulture);
        }

        string Verdict(string target)
        {
            var value = results.Failure(group, target) is null ? measure(target) : double.NaN;
            return double.IsNaN(value) ? "not measured" : met(value) ? "met" : "**missed**";
        }

        text.AppendLine($"| {goal} | {string.Join(" | ", gateways.Select(g => $"{Show(g.Name)} | {Verdict(g.Name)}"))} | {(targets.Any(t => t.Name == "portkey") ? Show("portkey") : "—")} |");
    }

    private double Median(string metric, string target) => results.Values(metric, target) is { Count: > 0 } v ? Stats.Median(v) : double.NaN;

    private double Added(string metric, string target) => Diffs(metric, target) is { Count: > 0 } d ? Stats.Median(d) : double.NaN;

    private double Ratio(string metric, string target) => Ratios(metric, target) is { Count: > 0 } r ? Stats.Median(r) : double.NaN;

    private List<double> Diffs(string metric, string target) =>
        results.Values(metric, target).Zip(results.Values(metric, "direct"), (t, d) => t - d).ToList();

    private List<double> Ratios(string metric, string target) =>
        results.Values(metric, target).Zip(results.Values(metric, "direct"), (t, d) => t / d).ToList();

    private static string Range(IReadOnlyList<double> values, string format)
    {
        if (values.Count == 0)
        {
            return "—";
        }

        var median = Stats.Median(values).ToString(format, CultureInfo.InvariantCulture);
        return values.Count == 1
            ? median
            : $"{median} ({values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)})";
    }

    private static string Failed(string message) => "**failed**: " + (message.Length > 140 ? message[..140] + "…" : message).Replace("|", "/", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string ReadOr(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static string Run(string file, string args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null)
            {
                return "?";
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(10_000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
