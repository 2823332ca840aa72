using AcpToApi.Conversation;
using AcpToApi.Tokens;

namespace AcpToApi.Endpoints;

/// <summary>
/// Counts a request's input tokens for count_tokens / countTokens on the thread pool, not on the socket thread that read
/// the request (see --inline-io), so a large request cannot hold up other connections; the count stops when the client
/// leaves. The counter is <see cref="TokenCounter.CountInput"/> (a test may give another, to hold a count in progress).
/// </summary>
internal sealed class InputTokenCount(Func<ChatRequest, CancellationToken, int>? counter = null)
{
    private readonly Func<ChatRequest, CancellationToken, int> _counter = counter ?? TokenCounter.CountInput;

    public Task<int> CountAsync(HttpContext context, ChatRequest request)
    {
        var cancellationToken = context.RequestAborted;
        return Task.Run(() => _counter(request, cancellationToken), cancellationToken);
    }
}
