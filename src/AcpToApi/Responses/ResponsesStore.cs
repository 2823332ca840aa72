using System.Collections.Concurrent;
using AcpToApi.Conversation;

namespace AcpToApi.Responses;

/// <summary>
/// Recent responses kept in memory for <c>previous_response_id</c> and <c>GET/DELETE /v1/responses/{id}</c>: at most
/// <paramref name="capacity"/> of them (the oldest go first), each for <paramref name="timeToLive"/>. Only what a client
/// asked to store (<c>store</c> is not false) is kept; a gateway restart forgets them all, which clients see as an
/// unknown id (400), never as a silently shortened history.
/// </summary>
public sealed class ResponsesStore(int capacity, TimeSpan timeToLive, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StoredResponse> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly Lock _evicting = new();

    public int Count => _responses.Count;

    public void Add(string id, byte[] responseJson, IReadOnlyList<ChatMessage> conversation)
    {
        if (capacity <= 0)
        {
            return;
        }
        _responses[id] = new StoredResponse(responseJson, conversation, time.GetUtcNow() + timeToLive);
        _order.Enqueue(id);
        lock (_evicting)
        {
            while (_responses.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _responses.TryRemove(oldest, out _);
            }
        }
    }

    /// <summary>The stored response's JSON, or null when it is unknown or expired.</summary>
    public byte[]? Get(string id) => Find(id)?.ResponseJson;

    /// <summary>The whole conversation up to and including that response's answer, or null.</summary>
    public IReadOnlyList<ChatMessage>? Conversation(string id) => Find(id)?.Conversation;

    public bool Delete(string id) => _responses.TryRemove(id, out _);

    private StoredResponse? Find(string id)
    {
        if (!_responses.TryGetValue(id, out var stored))
        {
            return null;
        }
        if (stored.ExpiresAt <= time.GetUtcNow())
        {
            _responses.TryRemove(id, out _);
            return null;
        }
        return stored;
    }

    private sealed record StoredResponse(byte[] ResponseJson, IReadOnlyList<ChatMessage> Conversation, DateTimeOffset ExpiresAt);
}
