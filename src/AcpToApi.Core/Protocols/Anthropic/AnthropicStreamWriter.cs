using System.Buffers;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Anthropic;

/// <summary>
/// Server side: renders <see cref="ChatEvent"/>s as Messages SSE: message_start, then per block
/// content_block_start / _delta* / _stop with contiguous indexes and one block open at a time,
/// then message_delta (stop_reason, cumulative usage) and message_stop. Blocks open lazily, so an
/// empty text block is never sent.
/// </summary>
internal sealed class AnthropicStreamWriter(string id, string model) : IProtocolStreamWriter
{
    private readonly Utf8JsonWriter _json = WireJson.CreateWriter(Stream.Null);
    private bool _messageStarted;
    private BlockStarted? _pending;
    private int? _openIndex;
    private BlockKind _openKind;
    private int _nextIndex;
    private ChatUsage? _usage;
    private bool _closeMarkerPending;

    public bool Completed { get; private set; }

    public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
    {
        switch (chatEvent)
        {
            case ResponseStarted:
                return false;
            case UsageReported usage:
                _usage = usage.Usage;
                return false;
            case Heartbeat:
                WriteEvent(output, "ping", w => w.WriteString("type", "ping"));
                return true;
        }

        var wrote = EnsureMessageStarted(output);
        switch (chatEvent)
        {
            case BlockStarted block:
                CloseBlock(output);
                _pending = block;
                if (block.Kind is BlockKind.ToolCall)
                {
                    // A tool call is a block even before any argument arrives.
                    OpenPending(output);
                    return true;
                }
                return wrote;
            case TextDelta text when text.Text.Length > 0:
                OpenPending(output);
                WriteDelta(output, w =>
                {
                    w.WriteString("type", "text_delta");
                    w.WriteString("text", text.Text);
                });
                return true;
            case ReasoningDelta reasoning when reasoning.Text.Length > 0:
                OpenPending(output);
                WriteDelta(output, w =>
                {
                    w.WriteString("type", "thinking_delta");
                    w.WriteString("thinking", reasoning.Text);
                });
                return true;
            case SignatureDelta signature when signature.Signature.Length > 0:
                OpenPending(output);
                WriteDelta(output, w =>
                {
                    w.WriteString("type", "signature_delta");
                    w.WriteString("signature", signature.Signature);
                });
                return true;
            case ToolArgumentsDelta arguments when arguments.JsonFragment.Length > 0 && _openKind == BlockKind.ToolCall && _openIndex is not null:
                WriteDelta(output, w =>
                {
                    w.WriteString("type", "input_json_delta");
                    w.WriteString("partial_json", arguments.JsonFragment);
                });
                return true;
            case BlockStopped:
                _pending = null;
                return CloseBlock(output) || wrote;
            case ResponseCompleted completed:
                CloseBlock(output);
                WriteCompletion(output, completed.StopReason, completed.StopSequence);
                return true;
            default:
                return wrote;
        }
    }

    public void WriteError(ChatBackendException error, IBufferWriter<byte> output) =>
        WriteEvent(output, "error", w => AnthropicErrorWriter.WriteBody(w, error));

    private bool EnsureMessageStarted(IBufferWriter<byte> output)
    {
        if (_messageStarted)
        {
            return false;
        }
        _messageStarted = true;
        WriteEvent(output, "message_start", w =>
        {
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            w.WriteString("id", id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", _usage?.InputTokens ?? 0);
            w.WriteNumber("output_tokens", _usage?.OutputTokens ?? 0);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return true;
    }

    private void OpenPending(IBufferWriter<byte> output)
    {
        if (_pending is null && _openIndex is not null)
        {
            return; // a delta for the block already open
        }
        var kind = _pending?.Kind ?? BlockKind.Text;
        // Agent-run tool output has no Anthropic block of its own: it is folded into text with a marker.
        var wireKind = kind == BlockKind.ToolResult ? BlockKind.Text : kind;
        CloseBlock(output);
        var block = _pending;
        _pending = null;
        _openIndex = _nextIndex++;
        _openKind = wireKind;
        WriteEvent(output, "content_block_start", w =>
        {
            w.WriteString("type", "content_block_start");
            w.WriteNumber("index", _openIndex.Value);
            w.WriteStartObject("content_block");
            switch (wireKind)
            {
                case BlockKind.Reasoning:
                    w.WriteString("type", "thinking");
                    w.WriteString("thinking", "");
                    w.WriteString("signature", "");
                    break;
                case BlockKind.ToolCall:
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", block?.ToolCallId ?? "");
                    w.WriteString("name", block?.ToolName ?? "");
                    w.WriteStartObject("input");
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteString("type", "text");
                    w.WriteString("text", "");
                    break;
            }
            w.WriteEndObject();
        });
        if (kind == BlockKind.ToolResult)
        {
            WriteDelta(output, w =>
            {
                w.WriteString("type", "text_delta");
                w.WriteString("text", ToolResultMarker.Open(block?.ToolName, block?.ToolCallId));
            });
            _closeMarkerPending = true;
        }
    }

    private bool CloseBlock(IBufferWriter<byte> output)
    {
        if (_openIndex is not { } index)
        {
            return false;
        }
        if (_closeMarkerPending)
        {
            _closeMarkerPending = false;
            WriteDelta(output, w =>
            {
                w.WriteString("type", "text_delta");
                w.WriteString("text", ToolResultMarker.Close);
            });
        }
        WriteEvent(output, "content_block_stop", w =>
        {
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", index);
        });
        _openIndex = null;
        return true;
    }

    private void WriteDelta(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeDelta) =>
        WriteEvent(output, "content_block_delta", w =>
        {
            w.WriteString("type", "content_block_delta");
            w.WriteNumber("index", _openIndex!.Value);
            w.WriteStartObject("delta");
            writeDelta(w);
            w.WriteEndObject();
        });

    private void WriteCompletion(IBufferWriter<byte> output, StopReason stopReason, string? stopSequence)
    {
        WriteEvent(output, "message_delta", w =>
        {
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", stopReason.Value);
            AnthropicResponseWriter.WriteStopSequence(w, stopSequence);
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", _usage?.InputTokens ?? 0);
            w.WriteNumber("output_tokens", _usage?.OutputTokens ?? 0);
            w.WriteEndObject();
        });
        WriteEvent(output, "message_stop", w => w.WriteString("type", "message_stop"));
        Completed = true;
    }

    private void WriteEvent(IBufferWriter<byte> output, string name, Action<Utf8JsonWriter> writeFields)
    {
        output.Write(System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        _json.Reset(output);
        _json.WriteStartObject();
        writeFields(_json);
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n\n"u8);
    }
}
