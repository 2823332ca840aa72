using System.Buffers;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>
/// Server side: renders <see cref="ChatEvent"/>s as chat.completion.chunk SSE frames.
/// One event in, at most one frame out, so the caller can flush per event.
/// </summary>
public sealed class OpenAIStreamWriter(string id, long created, string model, bool includeUsage) : IProtocolStreamWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private readonly HashSet<int> _toolResultBlocks = [];
    private readonly Utf8JsonWriter _json = WireJson.CreateWriter(Stream.Null);
    private bool _started;
    private ChatUsage? _usage;

    public bool Completed { get; private set; }

    /// <summary>Writes the frame for one event; returns false when the event needs no frame.</summary>
    public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
    {
        switch (chatEvent)
        {
            case ResponseStarted:
                return EnsureStarted(output);
            case BlockStarted { Kind: BlockKind.ToolCall } block:
                var toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[block.Index] = toolIndex;
                return WriteDelta(output, w => WriteToolCallStart(w, toolIndex, block.ToolCallId ?? "", block.ToolName ?? ""));
            case BlockStarted { Kind: BlockKind.ToolResult } block:
                _toolResultBlocks.Add(block.Index);
                return WriteContent(output, ToolResultMarker.Open(block.ToolName, block.ToolCallId));
            case BlockStopped stopped when _toolResultBlocks.Remove(stopped.Index):
                return WriteContent(output, ToolResultMarker.Close);
            case TextDelta text:
                return WriteContent(output, text.Text);
            case ReasoningDelta reasoning when reasoning.Text.Length > 0:
                return WriteDelta(output, w => w.WriteString("reasoning_content", reasoning.Text));
            case ToolArgumentsDelta arguments when arguments.JsonFragment.Length > 0 && _toolIndexByBlock.TryGetValue(arguments.Index, out var index):
                return WriteDelta(output, w => WriteToolCallArguments(w, index, arguments.JsonFragment));
            case UsageReported usage:
                _usage = usage.Usage;
                return false;
            case Heartbeat heartbeat:
                WriteComment(output, heartbeat.Note ?? "keep-alive");
                return true;
            case ResponseCompleted completed:
                WriteCompletion(output, completed.StopReason);
                return true;
            default:
                return false;
        }
    }

    /// <summary>An in-band error after the stream has started: an error frame, then the stream ends (no [DONE]).</summary>
    public void WriteError(ChatBackendException error, IBufferWriter<byte> output)
    {
        output.Write(DataPrefix);
        _json.Reset(output);
        OpenAIErrorWriter.WriteEnvelope(_json, error);
        _json.Flush();
        output.Write(FrameEnd);
    }

    private bool EnsureStarted(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return false;
        }
        _started = true;
        WriteChunk(output, w =>
        {
            WriteChoiceStart(w);
            w.WriteStartObject("delta");
            w.WriteString("role", "assistant");
            w.WriteString("content", "");
            w.WriteEndObject();
            WriteChoiceEnd(w, null);
        });
        return true;
    }

    private bool WriteContent(IBufferWriter<byte> output, string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        return WriteDelta(output, w => w.WriteString("content", text));
    }

    private bool WriteDelta(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeDeltaFields)
    {
        EnsureStarted(output);
        WriteChunk(output, w =>
        {
            WriteChoiceStart(w);
            w.WriteStartObject("delta");
            writeDeltaFields(w);
            w.WriteEndObject();
            WriteChoiceEnd(w, null);
        });
        return true;
    }

    private void WriteCompletion(IBufferWriter<byte> output, StopReason stopReason)
    {
        EnsureStarted(output);
        WriteChunk(output, w =>
        {
            WriteChoiceStart(w);
            w.WriteStartObject("delta");
            w.WriteEndObject();
            WriteChoiceEnd(w, stopReason.ToOpenAI());
        });
        if (includeUsage)
        {
            WriteChunk(output, w =>
            {
                w.WriteStartArray("choices");
                w.WriteEndArray();
            }, usage: _usage ?? new ChatUsage(0, 0));
        }
        output.Write(Done);
        Completed = true;
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeChoices, ChatUsage? usage = null)
    {
        output.Write(DataPrefix);
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("id", id);
        _json.WriteString("object", "chat.completion.chunk");
        _json.WriteNumber("created", created);
        _json.WriteString("model", model);
        _json.WriteNull("system_fingerprint");
        writeChoices(_json);
        if (usage is not null)
        {
            _json.WritePropertyName("usage");
            OpenAIUsageWriter.Write(_json, usage);
        }
        else if (includeUsage)
        {
            _json.WriteNull("usage");
        }
        _json.WriteEndObject();
        _json.Flush();
        output.Write(FrameEnd);
    }

    private static void WriteChoiceStart(Utf8JsonWriter w)
    {
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
    }

    private static void WriteChoiceEnd(Utf8JsonWriter w, string? finishReason)
    {
        w.WriteNull("logprobs");
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
    }

    private static void WriteToolCallStart(Utf8JsonWriter w, int index, string callId, string name)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteString("id", callId);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", name);
        w.WriteString("arguments", "");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteToolCallArguments(Utf8JsonWriter w, int index, string fragment)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("function");
        w.WriteString("arguments", fragment);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteComment(IBufferWriter<byte> output, string note)
    {
        // SSE comments are ignored by every client; they keep proxies from timing out and show progress.
        var line = ": " + note.ReplaceLineEndings(" ") + "\n\n";
        output.Write(System.Text.Encoding.UTF8.GetBytes(line));
    }
}
