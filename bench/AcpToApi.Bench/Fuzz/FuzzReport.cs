using System.Globalization;
using System.Text;

namespace AcpToApi.Bench.Fuzz;

/// <summary>What a fuzz run saw: answers by status, faults by kind, and the first few faulty cases.</summary>
public sealed class FuzzReport
{
    private readonly Dictionary<int, int> _byStatus = [];
    private readonly Dictionary<string, int> _faults = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Requests { get; private set; }

    public int Faults { get; private set; }

    public List<string> Examples { get; } = [];

    public IReadOnlyDictionary<int, int> ByStatus
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, int>(_byStatus);
            }
        }
    }

    internal void Count(int status)
    {
        lock (_gate)
        {
            Requests++;
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
        }
    }

    internal void Fault(string kind)
    {
        lock (_gate)
        {
            Faults++;
            _faults[kind] = _faults.GetValueOrDefault(kind) + 1;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Requests} requests, {Faults} faults; by status:");
        foreach (var (status, count) in ByStatus.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $" {(status == 0 ? "none" : status.ToString(CultureInfo.InvariantCulture))}={count}");
        }
        foreach (var (kind, count) in _faults.OrderByDescending(p => p.Value))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {count} x {kind}");
        }
        foreach (var example in Examples)
        {
            text.Append("\n  e.g. ").Append(example.Length > 400 ? example[..400] + "…" : example);
        }
        return text.ToString();
    }
}
