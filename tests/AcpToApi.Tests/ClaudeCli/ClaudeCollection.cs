namespace AcpToApi.Tests.ClaudeCli;

/// <summary>Claude CLI tests run one at a time: each starts real processes, and the process-table checks stay unambiguous and fast.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClaudeCollection
{
    public const string Name = "claude-cli";
}
