using System.Globalization;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary><c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>: Anthropic Messages, streaming and not.</summary>
internal sealed class AnthropicMessagesEndpoint(FakeScriptSource scripts)
{
    public async Task HandleAsync(FakeExchange exchange)
    {
        var body = exchange.Record.Json;
        if (body is not { ValueKind: JsonValueKind.Object })
        {
            await AnthropicErrors.WriteResponseAsync(exchange, 400, "fake: the request body is not a JSON object");
            return;
        }

        var script = scripts.Next(ReadLastTurn(body));
        exchange.Record.Script = script;
        if (script.Status is { } status)
        {
            await AnthropicErrors.WriteResponseAsync(exchange, status, script.ErrorMessage, script.RetryAfterSeconds);
            return;
        }

        var message = new AnthropicMessageInfo(
            "msg_fake_" + exchange.Record.Sequence.ToString(CultureInfo.InvariantCulture),
            JsonFields.GetString(body, "model") ?? "fake-model",
            exchange.Record.Sequence);
        var playback = new ScriptPlayback(exchange, script);
        if (JsonFields.GetBool(body, "stream"))
        {
            await new AnthropicMessagesStream(exchange, playback, message).RunAsync();
        }
        else
        {
            await WholeAsync(exchange, playback, message);
        }
    }

    public static Task CountTokensAsync(FakeExchange exchange) =>
        JsonResponse.WriteAsync(exchange.Http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("input_tokens", 42);
            w.WriteEndObject();
        }, exchange.Cancellation);

    /// <summary>A user message carrying tool_result blocks means the agent ran our tool call: answer so its loop ends.</summary>
    private static LastTurn ReadLastTurn(JsonElement? body)
    {
        var lastUser = JsonFields.GetArray(body, "messages").LastOrDefault(m => JsonFields.GetString(m, "role") == "user");
        if (lastUser.ValueKind == JsonValueKind.Undefined)
        {
            return LastTurn.Empty;
        }

        var isToolResult = JsonFields.GetArray(lastUser, "content").Any(block => JsonFields.GetString(block, "type") == "tool_result");
        return new LastTurn(JsonFields.ContentTexts(lastUser), isToolResult);
    }

    private static async Task WholeAsync(FakeExchange exchange, ScriptPlayback playback, AnthropicMessageInfo message)
    {
        var script = playback.Script;
        var errored = false;
        await playback.PlayAsync(script.Reasoning, _ => Task.CompletedTask);
        var finished = await playback.PlayTextAsync(_ => Task.CompletedTask, () =>
        {
            errored = true;
            return Task.CompletedTask;
        });
        if (errored)
        {
            await AnthropicErrors.WriteResponseAsync(exchange, 500, script.ErrorMessage);
            return;
        }

        if (!finished)
        {
            return;
        }

        await JsonResponse.WriteAsync(exchange.Http, 200, w => WriteMessage(w, script, message), exchange.Cancellation);
    }

    private static void WriteMessage(Utf8JsonWriter w, FakeScript script, AnthropicMessageInfo message)
    {
        w.WriteStartObject();
        w.WriteString("id", message.Id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", message.Model);
        w.WriteStartArray("content");
        if (script.Reasoning.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("type", "thinking");
            w.WriteString("thinking", string.Concat(script.Reasoning));
            w.WriteString("signature", script.Signature);
            w.WriteEndObject();
        }

        if (script.Tokens.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", string.Concat(script.Tokens));
            w.WriteEndObject();
        }

        for (var i = 0; i < script.ToolCalls.Count; i++)
        {
            var call = script.ToolCalls[i];
            w.WriteStartObject();
            w.WriteString("type", "tool_use");
            w.WriteString("id", message.ToolUseId(call, i));
            w.WriteString("name", call.Name);
            w.WritePropertyName("input");
            JsonFields.WriteObjectOrEmpty(w, call.ArgumentsJson);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", FinishReasons.ToAnthropic(script));
        w.WriteNull("stop_sequence");
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", script.InputTokens);
        w.WriteNumber("output_tokens", script.OutputTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
