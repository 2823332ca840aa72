namespace AcpToApi.Bench.Fuzz;

/// <summary>One generated request: where it goes, its body, and how it was made (for a failure report).</summary>
public sealed record FuzzCase(int Number, string Path, byte[] Body, string Recipe)
{
    /// <summary>The model names a backend fault on purpose (echo's <c>error=</c>, <c>fail-after=</c>): a 5xx is then the answer asked for.</summary>
    public bool AsksForFault { get; init; }
}
