using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Turns the CLI's stdout (one JSON object per line) into <see cref="ChatEvent"/>s as each line arrives.
/// Content comes from <c>stream_event</c> lines only (the <c>assistant</c> lines repeat it); <c>user</c> lines with
/// <c>tool_result</c> blocks (only when the operator enabled tools) become tool-result blocks; <c>result</c> gives
/// usage and the stop reason, or the error. Block indexes restart at 0 in every upstream message of an agent
/// loop; here they keep counting so the client sees one contiguous response.
/// </summary>
public sealed partial class ClaudeStreamTranslator
{
    private readonly Dictionary<int, int> _blockByUpstreamIndex = [];
    private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);
    private int _nextIndex;
    private int? _openIndex;
    private bool _started;
    private string? _lastStopReason;
    private int _inputTokens;
    private int _outputTokens;

    /// <summary>True once the <c>result</c> line has been translated.</summary>
    public bool Completed { get; private set; }

    /// <summary>True once a response has started, i.e. something went to the client.</summary>
    public bool Started => _started;

    /// <summary>The session id from <c>system/init</c>, for logs.</summary>
    public string? SessionId { get; private set; }

    public IReadOnlyList<ChatEvent> Translate(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || Completed)
        {
            return [];
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            // Not ours to interpret (a stray log line); the stream itself stays valid.
            return [];
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return [];
            }
            var events = new List<ChatEvent>();
            switch (GetString(root, "type"))
            {
                case "system" when GetString(root, "subtype") == "init":
                    SessionId = GetString(root, "session_id");
                    break;
                case "system" when GetString(root, "subtype") == "api_retry" && _started:
                    events.Add(new Heartbeat($"upstream retry {GetInt(root, "attempt")}: {GetString(root, "error")}"));
                    break;
                case "stream_event" when root.TryGetProperty("event", out var streamEvent):
                    TranslateStreamEvent(streamEvent, events);
                    break;
                case "user" when root.TryGetProperty("message", out var message):
                    TranslateToolResults(message, events);
                    break;
                case "result":
                    TranslateResult(root, events);
                    break;
            }
            return events;
        }
    }

    private void TranslateStreamEvent(JsonElement e, List<ChatEvent> events)
    {
        switch (GetString(e, "type"))
        {
            case "message_start":
                _blockByUpstreamIndex.Clear();
                if (e.TryGetProperty("message", out var message))
                {
                    if (!_started)
                    {
                        _started = true;
                        events.Add(new ResponseStarted(GetString(message, "id"), GetString(message, "model")));
                    }
                    if (message.TryGetProperty("usage", out var usage))
                    {
                        _inputTokens += InputTokens(usage);
                    }
                }
                break;
            case "content_block_start" when e.TryGetProperty("content_block", out var block):
                StartBlock(GetInt(e, "index") ?? 0, block, events);
                break;
            case "content_block_delta" when e.TryGetProperty("delta", out var delta):
                Delta(GetInt(e, "index") ?? 0, delta, events);
                break;
            case "content_block_stop":
                if (_blockByUpstreamIndex.Remove(GetInt(e, "index") ?? 0, out var stopped))
                {
                    CloseBlock(stopped, events);
                }
                break;
            case "message_delta":
                if (e.TryGetProperty("delta", out var messageDelta) && GetString(messageDelta, "stop_reason") is { } reason)
                {
                    _lastStopReason = reason;
                }
                if (e.TryGetProperty("usage", out var deltaUsage) && GetInt(deltaUsage, "output_tokens") is { } output)
                {
                    _outputTokens += output;
                }
                break;
        }
    }

    private void StartBlock(int upstreamIndex, JsonElement block, List<ChatEvent> events)
    {
        BlockStarted? started = GetString(block, "type") switch
        {
            "text" => new BlockStarted(_nextIndex, BlockKind.Text),
            "thinking" => new BlockStarted(_nextIndex, BlockKind.Reasoning),
            "tool_use" or "server_tool_use" => new BlockStarted(_nextIndex, BlockKind.ToolCall, GetString(block, "id"), GetString(block, "name")),
            _ => null, // redacted_thinking and unknown kinds carry nothing a client can show
        };
        if (started is null)
        {
            return;
        }
        EnsureStarted(events);
        CloseOpen(events);
        if (started is { Kind: BlockKind.ToolCall, ToolCallId: { } id, ToolName: { } name })
        {
            _toolNames[id] = name;
        }
        _blockByUpstreamIndex[upstreamIndex] = _nextIndex;
        _openIndex = _nextIndex++;
        events.Add(started);
    }

    private void Delta(int upstreamIndex, JsonElement delta, List<ChatEvent> events)
    {
        if (!_blockByUpstreamIndex.TryGetValue(upstreamIndex, out var index))
        {
            return;
        }
        ChatEvent? chatEvent = GetString(delta, "type") switch
        {
            "text_delta" => GetString(delta, "text") is { } text ? new TextDelta(index, text) : null,
            "thinking_delta" => GetString(delta, "thinking") is { } thinking ? new ReasoningDelta(index, thinking) : null,
            "signature_delta" => GetString(delta, "signature") is { } signature ? new SignatureDelta(index, signature) : null,
            "input_json_delta" => GetString(delta, "partial_json") is { Length: > 0 } json ? new ToolArgumentsDelta(index, json) : null,
            _ => null,
        };
        if (chatEvent is not null)
        {
            events.Add(chatEvent);
        }
    }

    private void CloseOpen(List<ChatEvent> events)
    {
        if (_openIndex is { } open)
        {
            CloseBlock(open, events);
        }
    }

    private void CloseBlock(int index, List<ChatEvent> events)
    {
        if (_openIndex == index)
        {
            _openIndex = null;
            events.Add(new BlockStopped(index));
        }
    }

    private void EnsureStarted(List<ChatEvent> events)
    {
        if (!_started)
        {
            _started = true;
            events.Add(new ResponseStarted());
        }
    }
}
