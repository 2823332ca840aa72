using System.Diagnostics;

namespace AcpToApi.Bench;

/// <summary>Exact percentiles over sorted samples (nearest rank), and median / min / max over repeats.</summary>
internal static class Stats
{
    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static long MsToTicks(double ms) => (long)(ms * Stopwatch.Frequency / 1000.0);

    /// <summary>Nearest-rank percentile in milliseconds; <paramref name="sorted"/> must be sorted ascending and non-empty.</summary>
    public static double PercentileMs(long[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return TicksToMs(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    public static long[] Sorted(IEnumerable<long> samples)
    {
        var array = samples.ToArray();
        Array.Sort(array);
        return array;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
