using System.Buffers;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>
/// Server side: renders <see cref="ChatEvent"/>s as chat.completion.chunk SSE frames.
/// One event in, at most one frame out, so the caller can flush per event.
/// </summary>
internal sealed class OpenAIStreamWriter(string id, long created, string model, bool includeUsage) : IProtocolStreamWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    // Names and fixed values are encoded once, not escaped again on every frame.
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ObjectName = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText CreatedName = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText ChoicesName = JsonEncodedText.Encode("choices");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText DeltaName = JsonEncodedText.Encode("delta");
    private static readonly JsonEncodedText ContentName = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText LogprobsName = JsonEncodedText.Encode("logprobs");
    private static readonly JsonEncodedText FinishReasonName = JsonEncodedText.Encode("finish_reason");
    private static readonly JsonEncodedText UsageName = JsonEncodedText.Encode("usage");
    private static readonly JsonEncodedText RoleName = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText ReasoningContentName = JsonEncodedText.Encode("reasoning_content");
    private static readonly JsonEncodedText ToolCallsName = JsonEncodedText.Encode("tool_calls");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FunctionName = JsonEncodedText.Encode("function");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ArgumentsName = JsonEncodedText.Encode("arguments");
    private static readonly JsonEncodedText ChunkObject = JsonEncodedText.Encode("chat.completion.chunk");
    private static readonly JsonEncodedText AssistantRole = JsonEncodedText.Encode("assistant");
    private static readonly JsonEncodedText FunctionType = JsonEncodedText.Encode("function");

    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private readonly HashSet<int> _toolResultBlocks = [];
    private readonly Utf8JsonWriter _json = WireJson.CreateWriter(Stream.Null);
    private readonly JsonEncodedText _id = JsonEncodedText.Encode(id, WireJson.WriterOptions.Encoder);
    private readonly JsonEncodedText _model = JsonEncodedText.Encode(model, WireJson.WriterOptions.Encoder);
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
                return WriteStringDelta(output, ReasoningContentName, reasoning.Text);
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
            w.WriteStartObject(DeltaName);
            w.WriteString(RoleName, AssistantRole);
            w.WriteString(ContentName, "");
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
        return WriteStringDelta(output, ContentName, text);
    }

    /// <summary>The hot path (one text or reasoning token): no delegate, no closure.</summary>
    private bool WriteStringDelta(IBufferWriter<byte> output, JsonEncodedText field, string value)
    {
        EnsureStarted(output);
        BeginChunk(output);
        WriteChoiceStart(_json);
        _json.WriteStartObject(DeltaName);
        _json.WriteString(field, value);
        _json.WriteEndObject();
        WriteChoiceEnd(_json, null);
        EndChunk(output, null);
        return true;
    }

    private bool WriteDelta(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeDeltaFields)
    {
        EnsureStarted(output);
        WriteChunk(output, w =>
        {
            WriteChoiceStart(w);
            w.WriteStartObject(DeltaName);
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
            w.WriteStartObject(DeltaName);
            w.WriteEndObject();
            WriteChoiceEnd(w, stopReason.ToOpenAI());
        });
        if (includeUsage)
        {
            WriteChunk(output, w =>
            {
                w.WriteStartArray(ChoicesName);
                w.WriteEndArray();
            }, usage: _usage ?? new ChatUsage(0, 0));
        }
        output.Write(Done);
        Completed = true;
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeChoices, ChatUsage? usage = null)
    {
        BeginChunk(output);
        writeChoices(_json);
        EndChunk(output, usage);
    }

    private void BeginChunk(IBufferWriter<byte> output)
    {
        output.Write(DataPrefix);
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString(IdName, _id);
        _json.WriteString(ObjectName, ChunkObject);
        _json.WriteNumber(CreatedName, created);
        _json.WriteString(ModelName, _model);
    }

    private void EndChunk(IBufferWriter<byte> output, ChatUsage? usage)
    {
        if (usage is not null)
        {
            _json.WritePropertyName(UsageName);
            OpenAIUsageWriter.Write(_json, usage);
        }
        else if (includeUsage)
        {
            _json.WriteNull(UsageName);
        }
        _json.WriteEndObject();
        _json.Flush();
        output.Write(FrameEnd);
    }

    private static void WriteChoiceStart(Utf8JsonWriter w)
    {
        w.WriteStartArray(ChoicesName);
        w.WriteStartObject();
        w.WriteNumber(IndexName, 0);
    }

    private static void WriteChoiceEnd(Utf8JsonWriter w, string? finishReason)
    {
        w.WriteNull(LogprobsName);
        if (finishReason is null)
        {
            w.WriteNull(FinishReasonName);
        }
        else
        {
            w.WriteString(FinishReasonName, finishReason);
        }
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteToolCallStart(Utf8JsonWriter w, int index, string callId, string name)
    {
        w.WriteStartArray(ToolCallsName);
        w.WriteStartObject();
        w.WriteNumber(IndexName, index);
        w.WriteString(IdName, callId);
        w.WriteString(TypeName, FunctionType);
        w.WriteStartObject(FunctionName);
        w.WriteString(NameName, name);
        w.WriteString(ArgumentsName, "");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteToolCallArguments(Utf8JsonWriter w, int index, string fragment)
    {
        w.WriteStartArray(ToolCallsName);
        w.WriteStartObject();
        w.WriteNumber(IndexName, index);
        w.WriteStartObject(FunctionName);
        w.WriteString(ArgumentsName, fragment);
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
