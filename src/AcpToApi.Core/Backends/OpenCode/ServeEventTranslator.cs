using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.OpenCode;

/// <summary>
/// Turns one session's serve-API events into <see cref="ChatEvent"/>s. Parts are typed by <c>message.part.updated</c>
/// (partID -> text | reasoning | tool | step-finish) so each <c>message.part.delta</c> lands in the right block.
/// Tool parts the agent ran itself become a tool-call block (when their input is known) and a tool-result block
/// (when they complete or fail). Usage is summed over <c>step-finish</c> parts. The turn ends on <c>session.idle</c>
/// or <c>session.status idle</c>; <c>session.error</c> throws. Everything else is ignored.
/// Events of sub-agent sessions (children of ours) only matter for their permission requests, which must be answered too.
/// </summary>
public sealed partial class ServeEventTranslator(string upstreamName, string? sessionId = null)
{
    private readonly HashSet<string> _userMessages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _partKinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _forwardedLength = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toolCallsSent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toolResultsSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChatUsage> _stepUsage = new(StringComparer.Ordinal);
    private readonly List<string> _permissionRequests = [];
    private bool _started;
    private bool _busy;
    private int _nextIndex;
    private int _openIndex = -1;
    private string? _openPart;
    private string? _lastStepReason;

    public bool Completed { get; private set; }

    /// <summary>True once the first content block or the completion was emitted (the client has been answered).</summary>
    public bool Started => _started;

    /// <summary>Permission requests seen since the last call; the caller answers them.</summary>
    public IReadOnlyList<string> TakePermissionRequests()
    {
        if (_permissionRequests.Count == 0)
        {
            return [];
        }
        var taken = _permissionRequests.ToList();
        _permissionRequests.Clear();
        return taken;
    }

    /// <summary>Appends the chat events for one daemon event; throws <see cref="ChatBackendException"/> on <c>session.error</c>.</summary>
    public void Translate(ServeEvent serveEvent, List<ChatEvent> output)
    {
        if (Completed)
        {
            return;
        }
        var properties = serveEvent.Properties;
        if (sessionId is not null && serveEvent.SessionId != sessionId)
        {
            if (serveEvent.Type == "permission.asked" && String(properties, "id") is { } childPermission)
            {
                _permissionRequests.Add(childPermission);
            }
            return;
        }
        switch (serveEvent.Type)
        {
            case "message.updated":
                OnMessageUpdated(properties);
                break;
            case "message.part.updated":
                if (properties.TryGetProperty("part", out var part) && part.ValueKind == JsonValueKind.Object)
                {
                    OnPartUpdated(part, output);
                }
                break;
            case "message.part.delta":
                OnPartDelta(properties, output);
                break;
            case "session.status":
                OnStatus(properties, output);
                break;
            case "session.idle":
                Complete(output);
                break;
            case "session.error":
                throw ServeSessionError.ToException(upstreamName, properties);
            case "permission.asked":
                if (String(properties, "id") is { } permissionId)
                {
                    _permissionRequests.Add(permissionId);
                }
                break;
        }
    }

    private void OnMessageUpdated(JsonElement properties)
    {
        if (!properties.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var role = String(info, "role");
        if (role == "user" && String(info, "id") is { } id)
        {
            _userMessages.Add(id);
        }
        else if (role == "assistant")
        {
            _busy = true;
        }
    }

    private void OnStatus(JsonElement properties, List<ChatEvent> output)
    {
        if (!properties.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        switch (String(status, "type"))
        {
            case "busy":
                _busy = true;
                break;
            case "idle":
                Complete(output);
                break;
            case "retry":
                var attempt = status.TryGetProperty("attempt", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 0;
                output.Add(new Heartbeat($"{upstreamName} is retrying the model call (attempt {attempt}): {String(status, "message") ?? "no details"}"));
                break;
        }
    }

    private void OnPartUpdated(JsonElement part, List<ChatEvent> output)
    {
        var id = String(part, "id");
        var messageId = String(part, "messageID");
        if (id is null || (messageId is not null && _userMessages.Contains(messageId)))
        {
            return;
        }
        _busy = true;
        var type = String(part, "type") ?? "";
        _partKinds[id] = type;
        switch (type)
        {
            case "text" or "reasoning":
                // Providers that do not stream still deliver the whole text in the final snapshot: forward what deltas missed.
                if (part.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Object && time.TryGetProperty("end", out _)
                    && String(part, "text") is { } text)
                {
                    var forwarded = _forwardedLength.GetValueOrDefault(id);
                    if (text.Length > forwarded)
                    {
                        Append(id, type, text[forwarded..], output);
                    }
                }
                break;
            case "tool":
                OnToolPart(id, part, output);
                break;
            case "step-finish":
                OnStepFinish(id, part);
                break;
        }
    }

    private void OnPartDelta(JsonElement properties, List<ChatEvent> output)
    {
        var partId = String(properties, "partID");
        var delta = String(properties, "delta");
        var messageId = String(properties, "messageID");
        if (partId is null || string.IsNullOrEmpty(delta) || String(properties, "field") is not (null or "text")
            || (messageId is not null && _userMessages.Contains(messageId)))
        {
            return;
        }
        var kind = _partKinds.GetValueOrDefault(partId, "text");
        if (kind is "text" or "reasoning")
        {
            Append(partId, kind, delta, output);
        }
    }

    private void Append(string partId, string kind, string text, List<ChatEvent> output)
    {
        var index = EnsureBlock(partId, kind == "reasoning" ? BlockKind.Reasoning : BlockKind.Text, output);
        output.Add(kind == "reasoning" ? new ReasoningDelta(index, text) : new TextDelta(index, text));
        _forwardedLength[partId] = _forwardedLength.GetValueOrDefault(partId) + text.Length;
    }

    private int EnsureBlock(string partId, BlockKind kind, List<ChatEvent> output)
    {
        if (_openPart == partId)
        {
            return _openIndex;
        }
        CloseBlock(output);
        EnsureStarted(output);
        _openIndex = _nextIndex++;
        _openPart = partId;
        output.Add(new BlockStarted(_openIndex, kind));
        return _openIndex;
    }

    private void CloseBlock(List<ChatEvent> output)
    {
        if (_openPart is null)
        {
            return;
        }
        output.Add(new BlockStopped(_openIndex));
        _openPart = null;
        _openIndex = -1;
    }

    private void EnsureStarted(List<ChatEvent> output)
    {
        if (!_started)
        {
            _started = true;
            output.Add(new ResponseStarted());
        }
    }

    private void Complete(List<ChatEvent> output)
    {
        // An idle before the turn began (no busy status, no assistant message) is not the end of our turn.
        if (!_busy)
        {
            return;
        }
        CloseBlock(output);
        EnsureStarted(output);
        if (_stepUsage.Count > 0)
        {
            output.Add(new UsageReported(SumUsage()));
        }
        output.Add(new ResponseCompleted(_lastStepReason == "length" ? StopReason.MaxTokens : StopReason.EndTurn));
        Completed = true;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
