namespace AcpToApi.FakeLlm;

/// <summary>What a script is chosen from: the texts of the last user message, or the fact that it is a tool result.</summary>
internal sealed record LastTurn(IReadOnlyList<string> Texts, bool IsToolResult)
{
    public static LastTurn Empty { get; } = new([], false);
}
