using System.Text.Json;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Turns the CLI's stdout (one JSON object per line) into <see cref="ChatEvent"/>s as each line arrives.
/// Content comes from <c>stream_event</c> lines only, read by the one Anthropic stream translator (the
/// <c>assistant</c> lines repeat it); <c>user</c> lines with <c>tool_result</c> blocks (only when the operator
/// enabled tools) become tool-result blocks; <c>result</c> gives the final usage and stop reason, or the error.
/// </summary>
internal sealed partial class ClaudeStreamTranslator
{
    private readonly ChatEventBuilder _output;
    private readonly AnthropicStreamTranslator _messages;

    public ClaudeStreamTranslator(ChatEventBuilder output)
    {
        _output = output;
        _messages = new AnthropicStreamTranslator(output, "Claude Code CLI", completeOnMessageStop: false);
    }

    /// <summary>The session id from <c>system/init</c>, for logs.</summary>
    public string? SessionId { get; private set; }

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
                    UpstreamFrame.Translate(() => _messages.Translate(streamEvent), "Claude Code CLI", line);
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

    private static string? Str(JsonElement element, string name) => AnthropicStreamTranslator.Str(element, name);

    private static int? Int(JsonElement element, string name) => AnthropicStreamTranslator.Int(element, name);
}
