using System.Globalization;
using AcpToApi.Bench.Fuzz;

namespace AcpToApi.Bench;

/// <summary>
/// <c>acptoapi-bench fuzz --url http://127.0.0.1:PORT [--seed N] [--count N] [--concurrency C] [--models a,b] [--pid PID] [--idle-seconds S]</c>:
/// sends <c>count</c> mutated requests (the same ones for the same seed) over every ingress and reports faults (5xx
/// other than 502/503/504, empty or non-JSON error bodies, hangs). With <c>--pid</c> it samples the server's resident
/// memory before, at the peak of the run, and after <c>idle-seconds</c> of idling. Exit code 1 when there were faults.
/// </summary>
internal static class FuzzCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        Uri? url = null;
        var seed = 1;
        var count = 1000;
        var concurrency = 8;
        var models = new List<string> { "echo/a", "echo/think+tool", "echo/fail-after=2", "openai/fake-model", "anthropic/fake-model" };
        int? pid = null;
        var idleSeconds = 60;
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = new Uri(Next()); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--count": count = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 1_000_000); break;
                case "--concurrency": concurrency = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 256); break;
                case "--models": models = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--pid": pid = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--idle-seconds": idleSeconds = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 0, 3600); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (url is null || !url.IsLoopback)
        {
            throw new ArgumentException("--url must be the gateway's 127.0.0.1 base URL");
        }

        using var http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        var before = pid is { } p ? ResidentMegabytes(p) : 0;
        using var sampling = new CancellationTokenSource();
        var peak = pid is { } watched ? SamplePeakAsync(watched, sampling.Token) : Task.FromResult(0.0);
        var started = DateTime.UtcNow;
        var report = await FuzzRunner.RunAsync(http, FuzzCases.Generate(seed, count, models), concurrency, TimeSpan.FromSeconds(60), CancellationToken.None);
        var elapsed = DateTime.UtcNow - started;
        await sampling.CancelAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}, {elapsed.TotalSeconds:0.0} s: {report}"));
        if (pid is { } server)
        {
            var atPeak = await peak;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS before {before:0} MB, peak {atPeak:0} MB; idling {idleSeconds} s…"));
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS after {idleSeconds} s idle: {ResidentMegabytes(server):0} MB"));
        }
        return report.Faults == 0 ? 0 : 1;
    }

    private static async Task<double> SamplePeakAsync(int pid, CancellationToken cancellationToken)
    {
        var peak = 0.0;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, ResidentMegabytes(pid));
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return Math.Max(peak, ResidentMegabytes(pid));
    }

    /// <summary>VmRSS from /proc (Linux), in MB.</summary>
    private static double ResidentMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return 0;
    }
}
