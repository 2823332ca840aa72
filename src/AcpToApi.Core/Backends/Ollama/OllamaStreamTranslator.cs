using System.Globalization;
using System.Text.Json;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Ollama;

/// <summary>
/// One <c>/api/chat</c> NDJSON stream, line by line, into <paramref name="output"/>: thinking, content and whole tool
/// calls (Ollama sends no call ids; they are made up, unique per response); the <c>done</c> line completes it.
/// </summary>
internal sealed class OllamaStreamTranslator(ChatEventBuilder output, string upstreamName)
{
    private readonly string _callPrefix = "call_" + Guid.NewGuid().ToString("N")[..12] + "_";

    public void Translate(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} sent a stream line that is not a JSON object.");
        }
        if (line.TryGetProperty("error", out var error))
        {
            var text = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} reported an error mid-stream: {text}");
        }
        output.Start(null, Str(line, "model"));
        if (line.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            output.Reasoning(Str(message, "thinking") ?? "");
            output.Text(Str(message, "content") ?? "");
            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    ToolCall(call);
                }
            }
        }
        if (line.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True)
        {
            output.CloseAll();
            output.Usage(new ChatUsage(Int(line, "prompt_eval_count"), Int(line, "eval_count")));
            var reason = output.ToolCallCount > 0 ? StopReason.ToolUse
                : Str(line, "done_reason") == "length" ? StopReason.MaxTokens
                : StopReason.EndTurn;
            output.Complete(reason);
        }
    }

    /// <summary>Ollama sends each call whole: one block with its complete arguments.</summary>
    private void ToolCall(JsonElement call)
    {
        var function = call.TryGetProperty("function", out var f) ? f : call;
        var id = Str(call, "id") is { Length: > 0 } given ? given : _callPrefix + output.ToolCallCount.ToString(CultureInfo.InvariantCulture);
        output.ToolCall(id, Str(function, "name") ?? "");
        var arguments = function.TryGetProperty("arguments", out var a) ? a : default;
        output.ToolArguments(arguments.ValueKind switch
        {
            JsonValueKind.Object => arguments.GetRawText(),
            JsonValueKind.String => arguments.GetString() ?? "{}",
            _ => "{}",
        });
        output.CloseAll();
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
