namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Pairs function calls with their responses across a Gemini history, where ids are optional.
/// Synthesized ids depend only on positions in the history, so the same history always gets the same ids.
/// </summary>
internal sealed class GeminiCallIds
{
    private readonly Dictionary<string, Queue<string>> _unanswered = new(StringComparer.Ordinal);

    public string ForCall(string? id, string name, int contentIndex, int partIndex)
    {
        var callId = string.IsNullOrEmpty(id) ? $"call_{contentIndex}_{partIndex}" : id;
        if (!_unanswered.TryGetValue(name, out var queue))
        {
            _unanswered[name] = queue = new Queue<string>();
        }
        queue.Enqueue(callId);
        return callId;
    }

    public string ForResponse(string? id, string name, int contentIndex, int partIndex)
    {
        if (!_unanswered.TryGetValue(name, out var queue))
        {
            return string.IsNullOrEmpty(id) ? $"call_{contentIndex}_{partIndex}" : id;
        }
        if (string.IsNullOrEmpty(id))
        {
            return queue.Count > 0 ? queue.Dequeue() : $"call_{contentIndex}_{partIndex}";
        }
        // An explicit id answers that call; drop it from the queue so a later id-less response takes the next one.
        if (queue.Contains(id))
        {
            var rest = queue.Where(q => q != id).ToList();
            queue.Clear();
            foreach (var q in rest) queue.Enqueue(q);
        }
        return id;
    }
}
