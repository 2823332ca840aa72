using System.Diagnostics;
using System.Globalization;

namespace AcpToApi.Bench;

/// <summary>
/// <c>acptoapi-bench load --url URL --model M [--seconds N] [--concurrency C] [--stream] [--header 'Name: value']</c>:
/// a bounded steady load on one endpoint, for profiling a server with dotnet-trace / dotnet-counters / perf while it runs.
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        Uri? url = null;
        var model = "fake-model";
        var seconds = 30;
        var concurrency = 32;
        var stream = false;
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = new Uri(Next()); break;
                case "--model": model = Next(); break;
                case "--seconds": seconds = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 3600); break;
                case "--concurrency": concurrency = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 2000); break;
                case "--stream": stream = true; break;
                case "--header":
                    var header = Next().Split(':', 2);
                    headers.Add(new(header[0].Trim(), header[1].Trim()));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (url is null || !url.IsLoopback)
        {
            throw new ArgumentException("--url must be a 127.0.0.1 chat completions URL");
        }

        var target = new Target("load", "load", url, model, [.. headers], null!);
        using var client = new LoadClient();
        var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(seconds * 1000.0);
        long completed = 0, failed = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                try
                {
                    if (stream)
                    {
                        await client.StreamAsync(target, CancellationToken.None);
                    }
                    else
                    {
                        await client.CompleteAsync(target, CancellationToken.None, []);
                    }

                    Interlocked.Increment(ref completed);
                }
                catch (Exception ex) when (ex is BenchFailure or HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        Console.Error.WriteLine(ex.Message);
                    }

                    await Task.Delay(10);
                }
            }
        })));
        var elapsed = Stats.TicksToMs(Stopwatch.GetTimestamp() - start) / 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{completed} ok, {failed} failed in {elapsed:0.0} s: {completed / elapsed:0} requests/s"));
        return 0;
    }
}
