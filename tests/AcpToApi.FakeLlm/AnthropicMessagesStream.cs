using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Plays a script as an Anthropic Messages event stream (every event with <c>event:</c> and <c>data:</c>).</summary>
internal sealed class AnthropicMessagesStream(FakeExchange exchange, ScriptPlayback playback, AnthropicMessageInfo message)
{
    private readonly SseWriter sse = new(exchange);
    private int blockIndex;

    public async Task RunAsync()
    {
        var script = playback.Script;
        await sse.StartAsync();
        await MessageStartAsync(script);

        if (script.Reasoning.Count > 0)
        {
            await BlockStartAsync(w =>
            {
                w.WriteString("type", "thinking");
                w.WriteString("thinking", "");
                w.WriteString("signature", "");
            });
            await playback.PlayAsync(script.Reasoning, text => BlockDeltaAsync("thinking_delta", "thinking", text));
            await BlockDeltaAsync("signature_delta", "signature", script.Signature);
            await BlockStopAsync();
        }

        // No empty text block: open it only when there is text.
        if (script.Tokens.Count > 0)
        {
            await BlockStartAsync(w =>
            {
                w.WriteString("type", "text");
                w.WriteString("text", "");
            });
        }

        var finished = await playback.PlayTextAsync(
            text => BlockDeltaAsync("text_delta", "text", text),
            () => sse.WriteEventAsync("error", w => AnthropicErrors.WriteBody(w, script.ErrorMessage, 500)));
        if (!finished)
        {
            return;
        }

        if (script.Tokens.Count > 0)
        {
            await BlockStopAsync();
        }

        for (var i = 0; i < script.ToolCalls.Count; i++)
        {
            await ToolUseAsync(script.ToolCalls[i], i);
        }

        await sse.WriteEventAsync("message_delta", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", FinishReasons.ToAnthropic(script));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", script.OutputTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        await sse.WriteEventAsync("message_stop", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_stop");
            w.WriteEndObject();
        });
    }

    private Task MessageStartAsync(FakeScript script) => sse.WriteEventAsync("message_start", w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", message.Id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", message.Model);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", script.InputTokens);
        if (script.CacheReadTokens is { } read)
        {
            w.WriteNumber("cache_read_input_tokens", read);
        }
        if (script.CacheWriteTokens is { } write)
        {
            w.WriteNumber("cache_creation_input_tokens", write);
        }
        w.WriteNumber("output_tokens", 1);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private async Task ToolUseAsync(FakeToolCall call, int index)
    {
        await playback.PaceAsync();
        await BlockStartAsync(w =>
        {
            w.WriteString("type", "tool_use");
            w.WriteString("id", message.ToolUseId(call, index));
            w.WriteString("name", call.Name);
            w.WriteStartObject("input");
            w.WriteEndObject();
        });
        await playback.PlayAsync(ScriptPlayback.Fragments(call.ArgumentsJson),
            fragment => BlockDeltaAsync("input_json_delta", "partial_json", fragment));
        await BlockStopAsync();
    }

    private Task BlockStartAsync(Action<Utf8JsonWriter> writeBlock) => sse.WriteEventAsync("content_block_start", w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", blockIndex);
        w.WriteStartObject("content_block");
        writeBlock(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private Task BlockDeltaAsync(string deltaType, string field, string value) => sse.WriteEventAsync("content_block_delta", w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", blockIndex);
        w.WriteStartObject("delta");
        w.WriteString("type", deltaType);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private async Task BlockStopAsync()
    {
        await sse.WriteEventAsync("content_block_stop", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", blockIndex);
            w.WriteEndObject();
        });
        blockIndex++;
    }
}
