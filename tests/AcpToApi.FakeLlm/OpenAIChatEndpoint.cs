using System.Globalization;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary><c>POST /v1/chat/completions</c>: OpenAI Chat Completions, streaming and not.</summary>
internal sealed class OpenAIChatEndpoint(FakeScriptSource scripts)
{
    public async Task HandleAsync(FakeExchange exchange)
    {
        var body = exchange.Record.Json;
        if (body is not { ValueKind: JsonValueKind.Object })
        {
            await OpenAIErrors.WriteResponseAsync(exchange, 400, "fake: the request body is not a JSON object");
            return;
        }

        var offered = JsonFields.GetArray(body, "tools").Select(t => JsonFields.GetString(JsonFields.Get(t, "function"), "name")).OfType<string>().ToList();
        var script = scripts.Next(ReadLastTurn(body)).ResolveToolNames(offered);
        exchange.Record.Script = script;
        if (script.Status is { } status)
        {
            await OpenAIErrors.WriteResponseAsync(exchange, status, script.ErrorMessage, script.RetryAfterSeconds);
            return;
        }

        var completion = new OpenAICompletionInfo(
            "chatcmpl-fake-" + exchange.Record.Sequence.ToString(CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            JsonFields.GetString(body, "model") ?? "fake-model",
            exchange.Record.Sequence);
        var playback = new ScriptPlayback(exchange, script);
        if (JsonFields.GetBool(body, "stream"))
        {
            var includeUsage = JsonFields.GetBool(JsonFields.Get(body, "stream_options"), "include_usage");
            await new OpenAIChatStream(exchange, playback, completion, includeUsage).RunAsync();
        }
        else
        {
            await WholeAsync(exchange, playback, completion);
        }
    }

    /// <summary>A tool message last means the agent ran our tool call: answer so its loop ends.</summary>
    private static LastTurn ReadLastTurn(JsonElement? body)
    {
        var messages = JsonFields.GetArray(body, "messages").ToList();
        if (messages.Count > 0 && JsonFields.GetString(messages[^1], "role") is "tool" or "function")
        {
            return new LastTurn([], IsToolResult: true);
        }

        var lastUser = messages.FindLast(m => JsonFields.GetString(m, "role") == "user");
        return lastUser.ValueKind == JsonValueKind.Undefined ? LastTurn.Empty : new LastTurn(JsonFields.ContentTexts(lastUser), false);
    }

    private static async Task WholeAsync(FakeExchange exchange, ScriptPlayback playback, OpenAICompletionInfo completion)
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
            await OpenAIErrors.WriteResponseAsync(exchange, 500, script.ErrorMessage);
            return;
        }

        if (!finished)
        {
            return;
        }

        await JsonResponse.WriteAsync(exchange.Http, 200, w => WriteCompletion(w, script, completion), exchange.Cancellation);
    }

    private static void WriteCompletion(Utf8JsonWriter w, FakeScript script, OpenAICompletionInfo completion)
    {
        w.WriteStartObject();
        w.WriteString("id", completion.Id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", completion.Created);
        w.WriteString("model", completion.Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (script.Tokens.Count == 0 && script.ToolCalls.Count > 0)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", string.Concat(script.Tokens));
        }

        if (script.Reasoning.Count > 0)
        {
            w.WriteString("reasoning_content", string.Concat(script.Reasoning));
        }

        if (script.ToolCalls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            for (var i = 0; i < script.ToolCalls.Count; i++)
            {
                var call = script.ToolCalls[i];
                w.WriteStartObject();
                w.WriteString("id", completion.ToolCallId(call, i));
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WriteString("arguments", call.ArgumentsJson);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteString("finish_reason", FinishReasons.ToOpenAI(script));
        w.WriteEndObject();
        w.WriteEndArray();
        completion.WriteUsage(w, script);
        w.WriteEndObject();
    }
}
