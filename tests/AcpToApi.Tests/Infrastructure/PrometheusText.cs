using System.Globalization;
using System.Text.RegularExpressions;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>Reads samples out of a Prometheus text exposition: the sum of every sample of a name whose labels include the given ones.</summary>
public static partial class PrometheusText
{
    public static double Sum(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var total = 0.0;
        foreach (Match sample in Sample().Matches(exposition))
        {
            if (sample.Groups["name"].Value != name)
            {
                continue;
            }
            var present = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.All(l => present.TryGetValue(l.Label, out var value) && value == l.Value))
            {
                total += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(""""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"""")]
    private static partial Regex Label();
}
