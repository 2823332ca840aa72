using System.Buffers;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Server side: renders <see cref="ChatEvent"/>s as GenerateContentResponse chunks. Text and thought deltas
/// go out one chunk each as they arrive; a function call goes out whole when its block stops (Gemini does
/// not stream arguments); the last chunk carries finishReason and usageMetadata.
/// </summary>
internal sealed class GeminiStreamWriter(string responseId, string modelVersion, GeminiStreamFraming framing, bool includeThoughts) : IProtocolStreamWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] SseFrameEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ArrayStart = "["u8.ToArray();
    private static readonly byte[] ArraySeparator = ",\r\n"u8.ToArray();
    private static readonly byte[] ArrayEnd = "]"u8.ToArray();

    private readonly Utf8JsonWriter _json = WireJson.CreateWriter(Stream.Null);
    private readonly StringBuilder _arguments = new();
    private readonly StringBuilder _signature = new();
    private readonly HashSet<int> _toolResultBlocks = [];
    private BlockStarted? _toolCall;
    private string? _pendingSignature;
    private ChatUsage? _usage;
    private bool _arrayOpened;

    public bool Completed { get; private set; }

    public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
    {
        switch (chatEvent)
        {
            case BlockStarted { Kind: BlockKind.ToolCall } block:
                _toolCall = block;
                _arguments.Clear();
                return false;
            case BlockStarted { Kind: BlockKind.ToolResult } block:
                _toolResultBlocks.Add(block.Index);
                return WriteParts(output, w => GeminiPartWriter.WriteText(w, ToolResultMarker.Open(block.ToolName, block.ToolCallId)));
            case BlockStarted { Kind: BlockKind.Reasoning }:
                _signature.Clear();
                return false;
            case TextDelta text when text.Text.Length > 0:
                var textSignature = TakeSignature();
                return WriteParts(output, w => GeminiPartWriter.WriteText(w, text.Text, textSignature));
            case ReasoningDelta reasoning when includeThoughts && reasoning.Text.Length > 0:
                return WriteParts(output, w => GeminiPartWriter.WriteThought(w, reasoning.Text, null));
            case SignatureDelta signature:
                _signature.Append(signature.Signature);
                return false;
            case ToolArgumentsDelta arguments when _toolCall?.Index == arguments.Index:
                _arguments.Append(arguments.JsonFragment);
                return false;
            case BlockStopped stopped:
                return WriteBlockEnd(output, stopped.Index);
            case UsageReported usage:
                _usage = usage.Usage;
                return false;
            case Heartbeat when framing == GeminiStreamFraming.Sse:
                // An SSE comment: every client ignores it, and it keeps proxies from timing out.
                output.Write(": keep-alive\r\n\r\n"u8);
                return true;
            case ResponseCompleted completed:
                WriteCompletion(output, completed.StopReason);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The Gemini error object as the last frame (SSE) or the last array element.</summary>
    public void WriteError(ChatBackendException error, IBufferWriter<byte> output)
    {
        WriteFrame(output, w => GeminiErrorWriter.WriteEnvelope(w, error), last: true);
    }

    private bool WriteBlockEnd(IBufferWriter<byte> output, int index)
    {
        if (_toolResultBlocks.Remove(index))
        {
            return WriteParts(output, w => GeminiPartWriter.WriteText(w, ToolResultMarker.Close));
        }
        if (_toolCall is { } call && call.Index == index)
        {
            _toolCall = null;
            var arguments = _arguments.ToString();
            var callSignature = TakeSignature();
            return WriteParts(output, w => GeminiPartWriter.WriteFunctionCall(w, call.ToolCallId, call.ToolName ?? "", arguments, callSignature));
        }
        if (_signature.Length > 0)
        {
            var signature = _signature.ToString();
            _signature.Clear();
            if (includeThoughts)
            {
                return WriteParts(output, w => GeminiPartWriter.WriteThought(w, "", signature));
            }
            // Thoughts are hidden, but the signature must survive: Gemini puts it on the next part.
            _pendingSignature = signature;
            return false;
        }
        return false;
    }

    private string? TakeSignature()
    {
        var signature = _pendingSignature;
        _pendingSignature = null;
        return signature;
    }

    private bool WriteParts(IBufferWriter<byte> output, Action<Utf8JsonWriter> writePart)
    {
        WriteFrame(output, w => WriteChunk(w, writePart, null), last: false);
        return true;
    }

    private void WriteCompletion(IBufferWriter<byte> output, StopReason stopReason)
    {
        var signature = TakeSignature();
        WriteFrame(output, w => WriteChunk(w, p => GeminiPartWriter.WriteText(p, "", signature), GeminiFinishReason.From(stopReason)), last: true);
        Completed = true;
    }

    private void WriteChunk(Utf8JsonWriter w, Action<Utf8JsonWriter> writePart, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        writePart(w);
        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        if (finishReason is not null)
        {
            w.WriteString("finishReason", finishReason);
        }
        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        if (finishReason is not null)
        {
            GeminiUsageWriter.Write(w, _usage ?? new ChatUsage(0, 0));
        }
        w.WriteString("modelVersion", modelVersion);
        w.WriteString("responseId", responseId);
        w.WriteEndObject();
    }

    private void WriteFrame(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeBody, bool last)
    {
        if (framing == GeminiStreamFraming.Sse)
        {
            output.Write(DataPrefix);
        }
        else
        {
            output.Write(_arrayOpened ? ArraySeparator : ArrayStart);
            _arrayOpened = true;
        }
        _json.Reset(output);
        writeBody(_json);
        _json.Flush();
        if (framing == GeminiStreamFraming.Sse)
        {
            output.Write(SseFrameEnd);
        }
        else if (last)
        {
            output.Write(ArrayEnd);
        }
    }
}
