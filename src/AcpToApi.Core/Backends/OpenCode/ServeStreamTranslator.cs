using System.Text.Json;
using AcpToApi.Conversation;
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
internal sealed partial class ServeStreamTranslator(ChatEventBuilder output, string upstreamName, string? sessionId = null, string? clientToolServer = null,
    IReadOnlyList<ToolDefinition>? clientTools = null)
{
    private ChatEventBuilder output = output;
    private readonly HashSet<string> _userMessages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _partKinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _forwardedLength = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toolCallsSent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toolResultsSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChatUsage> _stepUsage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServeClientCall> _clientCalls = new(StringComparer.Ordinal);
    private readonly List<(string Id, string? Permission)> _permissionRequests = [];
    private bool _busy;
    private bool _stepSentOutput;
    private string? _lastStepReason;

    /// <summary>
    /// Where the events go: a turn that parks on client tools spans several responses, each with a builder of its own.
    /// </summary>
    public ChatEventBuilder Output
    {
        get => output;
        set => output = value;
    }

    /// <summary>Permission requests (id and permission name) seen since the last call; the caller answers them.</summary>
    public IReadOnlyList<(string Id, string? Permission)> TakePermissionRequests()
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
    public void Translate(ServeEvent serveEvent)
    {
        if (output.Completed)
        {
            return;
        }
        var properties = serveEvent.Properties;
        if (sessionId is not null && serveEvent.SessionId != sessionId)
        {
            if (serveEvent.Type == "permission.asked" && String(properties, "id") is { } childPermission)
            {
                _permissionRequests.Add((childPermission, String(properties, "permission")));
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
                    OnPartUpdated(part);
                }
                break;
            case "message.part.delta":
                OnPartDelta(properties);
                break;
            case "session.status":
                OnStatus(properties);
                break;
            case "session.idle":
                Complete();
                break;
            case "session.error":
                throw ServeSessionError.ToException(upstreamName, properties);
            case "permission.asked":
                if (String(properties, "id") is { } permissionId)
                {
                    _permissionRequests.Add((permissionId, String(properties, "permission")));
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

    private void OnStatus(JsonElement properties)
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
                Complete();
                break;
            case "retry":
                var attempt = status.TryGetProperty("attempt", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 0;
                if (_stepSentOutput)
                {
                    // The retried call answers again from the start, after what the failed one already sent: the client
                    // would get both, marked complete. What went out cannot be taken back, so the response ends here.
                    throw new ChatBackendException(ChatErrorKind.UpstreamError,
                        $"{upstreamName}'s model call failed after part of its answer was sent ({String(status, "message") ?? "no details"}); "
                        + $"{upstreamName} is retrying it, but the retry starts its answer over, so this response ends here. Send the request again.");
                }
                output.Heartbeat($"{upstreamName} is retrying the model call (attempt {attempt}): {String(status, "message") ?? "no details"}");
                break;
        }
    }

    private void OnPartUpdated(JsonElement part)
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
                        Append(id, type, text[forwarded..]);
                    }
                }
                break;
            case "tool":
                OnToolPart(id, part);
                break;
            case "step-finish":
                OnStepFinish(id, part);
                break;
        }
    }

    private void OnPartDelta(JsonElement properties)
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
            Append(partId, kind, delta);
        }
    }

    private void Append(string partId, string kind, string text)
    {
        _stepSentOutput = true;
        if (kind == "reasoning")
        {
            output.Reasoning(text, partId);
        }
        else
        {
            output.Text(text, partId);
        }
        _forwardedLength[partId] = _forwardedLength.GetValueOrDefault(partId) + text.Length;
    }

    private void Complete()
    {
        // An idle before the turn began (no busy status, no assistant message) is not the end of our turn.
        if (!_busy)
        {
            return;
        }
        output.CloseAll();
        if (_stepUsage.Count > 0)
        {
            output.Usage(SumUsage());
        }
        output.Complete(_lastStepReason == "length" ? StopReason.MaxTokens : StopReason.EndTurn);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
