using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>The state of one upstream Gemini stream: the open block, calls seen, the finish reason and the last usage.</summary>
/// <remarks>Gemini may omit call ids; those get <c>&lt;callIdPrefix&gt;&lt;n&gt;</c>, unique per response.</remarks>
internal sealed class GeminiChunkTranslator(string callIdPrefix)
{
    private readonly List<ChatEvent> _events = [];
    private bool _started;
    private int _nextBlock;
    private int? _openBlock;
    private BlockKind _openKind;
    private int _calls;
    private string? _finishReason;
    private ChatUsage? _usage;

    public List<ChatEvent> Translate(GeminiGenerateContentResponse chunk)
    {
        _events.Clear();
        if (!_started)
        {
            _started = true;
            _events.Add(new ResponseStarted(chunk.ResponseId, chunk.ModelVersion));
        }
        var candidate = chunk.Candidates?.FirstOrDefault(c => (c.Index ?? 0) == 0);
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            TranslatePart(part);
        }
        if (candidate?.FinishReason is { } finish)
        {
            _finishReason = finish;
            CloseBlock();
        }
        else if (candidate is null && chunk.Extra?.TryGetValue("promptFeedback", out var feedback) == true
            && feedback.ValueKind == JsonValueKind.Object && feedback.TryGetProperty("blockReason", out _))
        {
            // The prompt itself was blocked: no candidate will come.
            _finishReason = "SAFETY";
        }
        if (chunk.UsageMetadata is { } usage)
        {
            _usage = GeminiUsageWriter.Read(usage);
        }
        return _events;
    }

    public List<ChatEvent> Finish(string upstreamName)
    {
        _events.Clear();
        if (_finishReason is null)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} ended the stream without a finishReason: the response was cut off.");
        }
        CloseBlock();
        if (_usage is { } usage)
        {
            _events.Add(new UsageReported(usage));
        }
        _events.Add(new ResponseCompleted(GeminiFinishReason.ToStopReason(_finishReason, _calls > 0)));
        return _events;
    }

    private void TranslatePart(GeminiPart part)
    {
        if (part.Thought == true)
        {
            var block = Open(BlockKind.Reasoning);
            if (!string.IsNullOrEmpty(part.Text))
            {
                _events.Add(new ReasoningDelta(block, part.Text));
            }
            if (!string.IsNullOrEmpty(part.ThoughtSignature))
            {
                _events.Add(new SignatureDelta(block, part.ThoughtSignature));
            }
            return;
        }
        if (!string.IsNullOrEmpty(part.ThoughtSignature))
        {
            // Gemini signs the first part after its thinking; the signature belongs with the reasoning.
            _events.Add(new SignatureDelta(Open(BlockKind.Reasoning), part.ThoughtSignature));
        }
        if (part.FunctionCall is { } call)
        {
            CloseBlock();
            var index = _nextBlock++;
            var id = string.IsNullOrEmpty(call.Id) ? callIdPrefix + _calls : call.Id;
            _calls++;
            _events.Add(new BlockStarted(index, BlockKind.ToolCall, id, call.Name ?? ""));
            _events.Add(new ToolArgumentsDelta(index, call.Args is { ValueKind: JsonValueKind.Object } args ? args.GetRawText() : "{}"));
            _events.Add(new BlockStopped(index));
            return;
        }
        if (!string.IsNullOrEmpty(part.Text))
        {
            _events.Add(new TextDelta(Open(BlockKind.Text), part.Text));
        }
    }

    private int Open(BlockKind kind)
    {
        if (_openBlock is { } open && _openKind == kind)
        {
            return open;
        }
        CloseBlock();
        var index = _nextBlock++;
        _openBlock = index;
        _openKind = kind;
        _events.Add(new BlockStarted(index, kind));
        return index;
    }

    private void CloseBlock()
    {
        if (_openBlock is { } open)
        {
            _events.Add(new BlockStopped(open));
            _openBlock = null;
        }
    }
}
