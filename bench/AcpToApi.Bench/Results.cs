namespace AcpToApi.Bench;

/// <summary>Per-repeat figures by metric and column; a failure replaces a column's figures for that metric.</summary>
internal sealed class Results
{
    private readonly Dictionary<(string Metric, string Target), List<double>> values = [];
    private readonly Dictionary<(string Metric, string Target), string> failures = [];
    private readonly Dictionary<(string Metric, string Target), string> notes = [];

    public void Add(string metric, string target, double value)
    {
        if (!values.TryGetValue((metric, target), out var list))
        {
            values[(metric, target)] = list = [];
        }

        list.Add(value);
    }

    public void Fail(string metric, string target, string message) => failures.TryAdd((metric, target), message);

    public void Note(string metric, string target, string text) => notes[(metric, target)] = text;

    public IReadOnlyList<double> Values(string metric, string target) =>
        values.TryGetValue((metric, target), out var list) ? list : [];

    public string? Failure(string metric, string target) => failures.GetValueOrDefault((metric, target));

    public string? NoteOf(string metric, string target) => notes.GetValueOrDefault((metric, target));

    public IEnumerable<(string Metric, string Target, IReadOnlyList<double> Values)> All() =>
        values.Select(kv => (kv.Key.Metric, kv.Key.Target, (IReadOnlyList<double>)kv.Value));
}
