using System.Text.Json;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Turns the CLI's stdout (one JSON object per line) into one response's <see cref="ChatEvent"/>s as each line
/// arrives. Content comes from <c>stream_event</c> lines only, read by the one Anthropic stream translator (the
/// <c>assistant</c> lines repeat it). Client tools appear under the client's own names; when a message ends in calls to
/// them, the response ends there with <c>tool_use</c> (<see cref="ParkedCallIds"/>): the agent waits for the client's
/// results, and the next response continues the same turn. <c>user</c> lines with results of the agent's own tools
/// (only when the operator enabled them) become tool-result blocks; <c>result</c> ends the turn with its usage and
/// stop reason, or its error.
/// </summary>
internal sealed partial class ClaudeStreamTranslator
{
    private readonly ChatEventBuilder _output;
    private readonly AnthropicStreamTranslator _messages;
    private readonly ClaudeSession? _session;
    private readonly List<string> _messageClientCalls = [];

    public ClaudeStreamTranslator(ChatEventBuilder output, ClaudeSession? session = null)
    {
        _output = output;
        _session = session;
        _messages = new AnthropicStreamTranslator(output, "Claude Code CLI", completeOnMessageStop: false,
            toolName: name => ClaudeToolNames.ForClient(name, session?.Tools?.Tools ?? []) ?? name);
    }

    /// <summary>The session id from <c>system/init</c>, for logs.</summary>
    public string? SessionId { get; private set; }

    /// <summary>Set when this response ended on calls to client tools: their ids, which the client's results will name.</summary>
    public IReadOnlyList<string>? ParkedCallIds { get; private set; }

    public void Translate(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || _output.Completed)
        {
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            // Not ours to interpret (a stray log line); the stream itself stays valid.
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            switch (Str(root, "type"))
            {
                case "system" when Str(root, "subtype") == "init":
                    SessionId = Str(root, "session_id");
                    break;
                case "system" when Str(root, "subtype") == "api_retry" && _output.Started:
                    _output.Heartbeat($"upstream retry {Int(root, "attempt")}: {Str(root, "error")}");
                    break;
                case "stream_event" when root.TryGetProperty("event", out var streamEvent):
                    UpstreamFrame.Translate(() => TranslateStreamEvent(streamEvent), "Claude Code CLI", line);
                    break;
                case "user" when root.TryGetProperty("message", out var message):
                    TranslateToolResults(message);
                    break;
                case "result":
                    TranslateResult(root);
                    break;
            }
        }
    }

    private void TranslateStreamEvent(JsonElement streamEvent)
    {
        var type = Str(streamEvent, "type");
        if (type == "message_start")
        {
            _messageClientCalls.Clear();
        }
        else if (type == "content_block_start" && streamEvent.TryGetProperty("content_block", out var block)
            && Str(block, "type") == "tool_use" && Str(block, "name") is { } name && ClaudeToolNames.IsClientTool(name)
            && Str(block, "id") is { } id)
        {
            _messageClientCalls.Add(id);
            _session?.RememberClientCall(id);
        }
        _messages.Translate(streamEvent);
        if (type == "message_stop" && _messageClientCalls.Count > 0 && _messages.StopReason == StopReason.ToolUse)
        {
            // The model asked for the client's tools: the client runs them and comes back with the results.
            ParkedCallIds = [.. _messageClientCalls];
            _output.CloseAll();
            // This response's own messages; the turn's total comes with its result line, less what was reported here.
            var usage = _messages.Usage;
            _output.Usage(usage);
            if (_session is not null)
            {
                _session.TurnUsageReported = Plus(_session.TurnUsageReported, usage);
            }
            _output.Complete(StopReason.ToolUse);
        }
    }

    private static string? Str(JsonElement element, string name) => AnthropicStreamTranslator.Str(element, name);

    private static int? Int(JsonElement element, string name) => AnthropicStreamTranslator.Int(element, name);
}
