namespace AcpToApi.Streaming;

internal sealed record ChatUsage(int InputTokens, int OutputTokens, int? ReasoningTokens = null, int? CacheReadTokens = null, int? CacheWriteTokens = null)
{
    public int TotalTokens => InputTokens + OutputTokens;
}
