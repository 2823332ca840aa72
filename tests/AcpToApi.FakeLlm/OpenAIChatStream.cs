using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Plays a script as an OpenAI <c>chat.completion.chunk</c> stream.</summary>
internal sealed class OpenAIChatStream(FakeExchange exchange, ScriptPlayback playback, OpenAICompletionInfo completion, bool includeUsage)
{
    private readonly SseWriter sse = new(exchange);

    public async Task RunAsync()
    {
        var script = playback.Script;
        await sse.StartAsync();
        await ChunkAsync(w =>
        {
            w.WriteString("role", "assistant");
            w.WriteString("content", "");
        });
        await playback.PlayAsync(script.Reasoning, text => ChunkAsync(w => w.WriteString("reasoning_content", text)));

        var finished = await playback.PlayTextAsync(
            text => ChunkAsync(w => w.WriteString("content", text)),
            () => sse.WriteDataAsync(w => OpenAIErrors.WriteBody(w, script.ErrorMessage, 500)));
        if (!finished)
        {
            return;
        }

        if (script.AnnounceToolCallsFirst)
        {
            for (var i = 0; i < script.ToolCalls.Count; i++)
            {
                await AnnounceToolCallAsync(script.ToolCalls[i], i);
            }
        }
        for (var i = 0; i < script.ToolCalls.Count; i++)
        {
            if (!script.AnnounceToolCallsFirst)
            {
                await AnnounceToolCallAsync(script.ToolCalls[i], i);
            }
            await ToolArgumentsAsync(script.ToolCalls[i], i);
        }

        await ChunkAsync(_ => { }, FinishReasons.ToOpenAI(script));
        if (includeUsage)
        {
            await sse.WriteDataAsync(w =>
            {
                w.WriteStartObject();
                WriteHeader(w);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                completion.WriteUsage(w, script);
                w.WriteEndObject();
            });
        }

        await sse.WriteRawAsync("data: [DONE]\n\n");
    }

    private async Task AnnounceToolCallAsync(FakeToolCall call, int index)
    {
        await playback.PaceAsync();
        await ToolDeltaAsync(index, w =>
        {
            w.WriteString("id", completion.ToolCallId(call, index));
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WriteString("arguments", "");
            w.WriteEndObject();
        });
    }

    private async Task ToolArgumentsAsync(FakeToolCall call, int index)
    {
        await playback.PlayAsync(ScriptPlayback.Fragments(call.ArgumentsJson), fragment => ToolDeltaAsync(index, w =>
        {
            w.WriteStartObject("function");
            w.WriteString("arguments", fragment);
            w.WriteEndObject();
        }));
    }

    private Task ToolDeltaAsync(int index, Action<Utf8JsonWriter> writeCall) => ChunkAsync(w =>
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        writeCall(w);
        w.WriteEndObject();
        w.WriteEndArray();
    });

    private Task ChunkAsync(Action<Utf8JsonWriter> writeDelta, string? finishReason = null) => sse.WriteDataAsync(w =>
    {
        w.WriteStartObject();
        WriteHeader(w);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        writeDelta(w);
        w.WriteEndObject();
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    });

    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteString("id", completion.Id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", completion.Created);
        w.WriteString("model", completion.Model);
    }
}
