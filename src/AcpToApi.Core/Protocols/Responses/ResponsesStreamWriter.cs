using System.Buffers;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Responses;

/// <summary>
/// Server side: renders <see cref="ChatEvent"/>s as Responses SSE events (<c>event:</c> and <c>data:</c>, every event
/// with its <c>sequence_number</c>): <c>response.created</c> and <c>.in_progress</c>; per output item
/// <c>output_item.added</c> … <c>output_item.done</c> (text through <c>content_part</c> and <c>output_text</c> events,
/// reasoning through <c>reasoning_summary_*</c>, calls through <c>function_call_arguments</c>); then exactly one of
/// <c>response.completed</c>, <c>response.incomplete</c> or, from <see cref="WriteError"/>, <c>response.failed</c>.
/// </summary>
internal sealed class ResponsesStreamWriter(ResponsesEcho echo) : IProtocolStreamWriter
{
    private readonly Utf8JsonWriter _json = WireJson.CreateWriter(Stream.Null);
    private readonly List<byte[]> _output = [];
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _signature = new();
    private int _sequence;
    private bool _started;
    private OpenItem? _open;
    private ChatUsage? _usage;
    private string? _incomplete;

    public bool Completed { get; private set; }

    /// <summary>The final <c>response</c> object, as <c>response.completed</c> (or <c>.incomplete</c>) carried it.</summary>
    public byte[] FinalResponse() => WireJson.ToBytes(WriteFinalResponse);

    private string FinalStatus => _incomplete is null ? "completed" : "incomplete";

    private void WriteFinalResponse(Utf8JsonWriter w) => ResponsesObjectWriter.Write(w, echo, FinalStatus, _output, _usage, incompleteReason: _incomplete);

    public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
    {
        switch (chatEvent)
        {
            case ResponseStarted:
                return EnsureStarted(output);
            case UsageReported usage:
                _usage = usage.Usage;
                return false;
            case Heartbeat:
                output.Write(": keep-alive\n\n"u8);
                return true;
        }
        var wrote = EnsureStarted(output);
        switch (chatEvent)
        {
            case BlockStarted block:
                Open(block, output);
                return true;
            case TextDelta text when _open is { Kind: BlockKind.Text or BlockKind.ToolResult }:
                TextDelta(text.Text, output);
                return true;
            case ReasoningDelta reasoning when _open is { Kind: BlockKind.Reasoning } open:
                _text.Append(reasoning.Text);
                WriteEvent(output, "response.reasoning_summary_text.delta", w =>
                {
                    w.WriteString("item_id", open.Id);
                    w.WriteNumber("output_index", open.OutputIndex);
                    w.WriteNumber("summary_index", 0);
                    w.WriteString("delta", reasoning.Text);
                });
                return true;
            case SignatureDelta signature:
                _signature.Append(signature.Signature);
                return wrote;
            case ToolArgumentsDelta arguments when _open is { Kind: BlockKind.ToolCall } open:
                _text.Append(arguments.JsonFragment);
                WriteEvent(output, "response.function_call_arguments.delta", w =>
                {
                    w.WriteString("item_id", open.Id);
                    w.WriteNumber("output_index", open.OutputIndex);
                    w.WriteString("delta", arguments.JsonFragment);
                });
                return true;
            case BlockStopped:
                Close(output);
                return true;
            case ResponseCompleted completed:
                Close(output);
                _incomplete = ResponsesObjectWriter.IncompleteReason(completed.StopReason);
                WriteEvent(output, "response." + FinalStatus, w =>
                {
                    w.WritePropertyName("response");
                    WriteFinalResponse(w);
                });
                Completed = true;
                return true;
            default:
                return wrote;
        }
    }

    /// <summary><c>response.failed</c> with an error code clients act on (e.g. <c>rate_limit_exceeded</c>); the stream ends after it.</summary>
    public void WriteError(ChatBackendException error, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        WriteEvent(output, "response.failed", w =>
        {
            w.WritePropertyName("response");
            ResponsesObjectWriter.Write(w, echo, "failed", _output, _usage, error);
        });
    }

    private bool EnsureStarted(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return false;
        }
        _started = true;
        foreach (var type in new[] { "response.created", "response.in_progress" })
        {
            WriteEvent(output, type, w =>
            {
                w.WritePropertyName("response");
                ResponsesObjectWriter.Write(w, echo, "in_progress", [], null);
            });
        }
        return true;
    }

    private void Open(BlockStarted block, IBufferWriter<byte> output)
    {
        Close(output);
        var kind = block.Kind;
        var open = new OpenItem(kind switch
        {
            BlockKind.Reasoning => ResponsesEcho.NewId("rs"),
            BlockKind.ToolCall => ResponsesEcho.NewId("fc"),
            _ => ResponsesEcho.NewId("msg"),
        }, _output.Count, kind, block.ToolCallId ?? "", block.ToolName ?? "");
        _open = open;
        _text.Clear();
        _signature.Clear();
        var item = kind switch
        {
            BlockKind.Reasoning => ResponsesItemWriter.Reasoning(open.Id, null, null),
            BlockKind.ToolCall => ResponsesItemWriter.FunctionCall(open.Id, "in_progress", open.CallId, open.Name, ""),
            _ => ResponsesItemWriter.Message(open.Id, "in_progress", ""),
        };
        WriteEvent(output, "response.output_item.added", w =>
        {
            w.WriteNumber("output_index", open.OutputIndex);
            w.WritePropertyName("item");
            w.WriteRawValue(item, skipInputValidation: true);
        });
        switch (kind)
        {
            case BlockKind.Reasoning:
                WriteEvent(output, "response.reasoning_summary_part.added", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("summary_index", 0);
                    w.WritePropertyName("part");
                    ResponsesItemWriter.SummaryPart(w, "");
                });
                break;
            case BlockKind.Text or BlockKind.ToolResult:
                WriteEvent(output, "response.content_part.added", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("content_index", 0);
                    w.WritePropertyName("part");
                    ResponsesItemWriter.TextPart(w, "");
                });
                if (kind == BlockKind.ToolResult)
                {
                    // Output of a tool the agent ran itself has no item of its own here: it is folded into text, marked.
                    TextDelta(ToolResultMarker.Open(block.ToolName, block.ToolCallId), output);
                }
                break;
        }
    }

    private void TextDelta(string text, IBufferWriter<byte> output)
    {
        var open = _open!;
        _text.Append(text);
        WriteEvent(output, "response.output_text.delta", w =>
        {
            WritePosition(w, open);
            w.WriteNumber("content_index", 0);
            w.WriteString("delta", text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
    }

    private void Close(IBufferWriter<byte> output)
    {
        if (_open is not { } open)
        {
            return;
        }
        if (open.Kind == BlockKind.ToolResult)
        {
            TextDelta(ToolResultMarker.Close, output);
        }
        _open = null;
        var text = _text.ToString();
        byte[] item;
        switch (open.Kind)
        {
            case BlockKind.Reasoning:
                WriteEvent(output, "response.reasoning_summary_text.done", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("summary_index", 0);
                    w.WriteString("text", text);
                });
                WriteEvent(output, "response.reasoning_summary_part.done", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("summary_index", 0);
                    w.WritePropertyName("part");
                    ResponsesItemWriter.SummaryPart(w, text);
                });
                item = ResponsesItemWriter.Reasoning(open.Id, text, _signature.ToString());
                break;
            case BlockKind.ToolCall:
                var arguments = text.Length == 0 ? "{}" : text;
                WriteEvent(output, "response.function_call_arguments.done", w =>
                {
                    WritePosition(w, open);
                    w.WriteString("name", open.Name);
                    w.WriteString("arguments", arguments);
                });
                item = ResponsesItemWriter.FunctionCall(open.Id, "completed", open.CallId, open.Name, arguments);
                break;
            default:
                WriteEvent(output, "response.output_text.done", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("content_index", 0);
                    w.WriteString("text", text);
                    w.WriteStartArray("logprobs");
                    w.WriteEndArray();
                });
                WriteEvent(output, "response.content_part.done", w =>
                {
                    WritePosition(w, open);
                    w.WriteNumber("content_index", 0);
                    w.WritePropertyName("part");
                    ResponsesItemWriter.TextPart(w, text);
                });
                item = ResponsesItemWriter.Message(open.Id, "completed", text);
                break;
        }
        _output.Add(item);
        WriteEvent(output, "response.output_item.done", w =>
        {
            w.WriteNumber("output_index", open.OutputIndex);
            w.WritePropertyName("item");
            w.WriteRawValue(item, skipInputValidation: true);
        });
    }

    private static void WritePosition(Utf8JsonWriter w, OpenItem open)
    {
        w.WriteString("item_id", open.Id);
        w.WriteNumber("output_index", open.OutputIndex);
    }

    private void WriteEvent(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> writeFields)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("type", type);
        _json.WriteNumber("sequence_number", _sequence++);
        writeFields(_json);
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n\n"u8);
    }

    private sealed record OpenItem(string Id, int OutputIndex, BlockKind Kind, string CallId, string Name);
}
