using System.Collections.Concurrent;
using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Responses;

/// <summary>
/// Recent responses kept in memory for <c>previous_response_id</c>, <c>item_reference</c> input items and
/// <c>GET/DELETE /v1/responses/{id}</c>: at most <paramref name="capacity"/> of them (the oldest go first), each for
/// <paramref name="timeToLive"/>. Only what a client asked to store (<c>store</c> is not false) is kept; a gateway
/// restart forgets them all, which clients see as an unknown id (400), never as a silently shortened history.
/// </summary>
internal sealed class ResponsesStore(int capacity, TimeSpan timeToLive, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StoredResponse> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _itemOwners = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly Lock _evicting = new();

    public int Count => _responses.Count;

    public void Add(string id, byte[] responseJson, IReadOnlyList<ChatMessage> conversation)
    {
        if (capacity <= 0)
        {
            return;
        }
        var items = OutputItems(responseJson);
        _responses[id] = new StoredResponse(responseJson, conversation, items, time.GetUtcNow() + timeToLive);
        foreach (var itemId in items.Keys)
        {
            _itemOwners[itemId] = id;
        }
        _order.Enqueue(id);
        lock (_evicting)
        {
            while (_responses.Count > capacity && _order.TryDequeue(out var oldest))
            {
                Remove(oldest);
            }
        }
    }

    /// <summary>The stored response's JSON, or null when it is unknown or expired.</summary>
    public byte[]? Get(string id) => Find(id)?.ResponseJson;

    /// <summary>The whole conversation up to and including that response's answer, or null.</summary>
    public IReadOnlyList<ChatMessage>? Conversation(string id) => Find(id)?.Conversation;

    /// <summary>An output item of a stored response, by its id (what an <c>item_reference</c> names), or null.</summary>
    public JsonElement? Item(string itemId) =>
        _itemOwners.TryGetValue(itemId, out var owner) && Find(owner) is { } stored && stored.Items.TryGetValue(itemId, out var item) ? item : null;

    public bool Delete(string id) => Remove(id);

    private bool Remove(string id)
    {
        if (!_responses.TryRemove(id, out var stored))
        {
            return false;
        }
        foreach (var itemId in stored.Items.Keys)
        {
            _itemOwners.TryRemove(new KeyValuePair<string, string>(itemId, id));
        }
        return true;
    }

    private StoredResponse? Find(string id)
    {
        if (!_responses.TryGetValue(id, out var stored))
        {
            return null;
        }
        if (stored.ExpiresAt <= time.GetUtcNow())
        {
            Remove(id);
            return null;
        }
        return stored;
    }

    private static Dictionary<string, JsonElement> OutputItems(byte[] responseJson)
    {
        var items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(responseJson);
        if (document.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                if (item.TryGetProperty("id", out var itemId) && itemId.ValueKind == JsonValueKind.String)
                {
                    items[itemId.GetString()!] = item.Clone();
                }
            }
        }
        return items;
    }

    private sealed record StoredResponse(byte[] ResponseJson, IReadOnlyList<ChatMessage> Conversation,
        IReadOnlyDictionary<string, JsonElement> Items, DateTimeOffset ExpiresAt);
}
