using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>The state of one upstream stream: which block is open and which tool calls were seen.</summary>
internal sealed class OpenAIChunkTranslator
{
    private readonly Dictionary<int, int> _blockByToolIndex = [];
    private readonly List<ChatEvent> _events = [];
    private bool _started;
    private int _nextBlock;
    private int? _openBlock;
    private BlockKind _openKind;
    private string? _finishReason;

    public bool Done { get; set; }

    public List<ChatEvent> Translate(OpenAIChatChunk chunk)
    {
        _events.Clear();
        if (!_started)
        {
            _started = true;
            _events.Add(new ResponseStarted(chunk.Id, chunk.Model));
        }
        foreach (var choice in chunk.Choices ?? [])
        {
            if (choice.Index != 0)
            {
                continue;
            }
            if (choice.Delta is { } delta)
            {
                TranslateDelta(delta);
            }
            if (choice.FinishReason is { } finish)
            {
                _finishReason = finish;
                CloseBlock();
            }
        }
        if (chunk.Usage is { } usage)
        {
            _events.Add(new UsageReported(new ChatUsage(
                usage.PromptTokens,
                usage.CompletionTokens,
                usage.CompletionTokensDetails?.ReasoningTokens,
                usage.PromptTokensDetails?.CachedTokens)));
        }
        return _events;
    }

    public List<ChatEvent> Finish(string upstreamName)
    {
        _events.Clear();
        if (_finishReason is null)
        {
            // A stream that stops without a finish reason was cut off: never pass it off as complete.
            throw new ChatBackendException(
                ChatErrorKind.UpstreamError,
                $"{upstreamName} closed the stream before the response finished{(Done ? " ([DONE] without a finish_reason)" : "")}.");
        }
        if (!_started)
        {
            _events.Add(new ResponseStarted());
        }
        CloseBlock();
        _events.Add(new ResponseCompleted(StopReason.FromOpenAI(_finishReason)));
        return _events;
    }

    private void TranslateDelta(OpenAIDelta delta)
    {
        var reasoning = delta.ReasoningContent ?? delta.Reasoning;
        if (!string.IsNullOrEmpty(reasoning))
        {
            var block = EnsureBlock(BlockKind.Reasoning);
            _events.Add(new ReasoningDelta(block, reasoning));
        }
        if (!string.IsNullOrEmpty(delta.Content))
        {
            var block = EnsureBlock(BlockKind.Text);
            _events.Add(new TextDelta(block, delta.Content));
        }
        if (!string.IsNullOrEmpty(delta.Refusal))
        {
            var block = EnsureBlock(BlockKind.Text);
            _events.Add(new TextDelta(block, delta.Refusal));
        }
        if (delta.ToolCalls is { } calls)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                TranslateToolCall(calls[i], i);
            }
        }
    }

    private void TranslateToolCall(OpenAIToolCallDelta call, int position)
    {
        var toolIndex = call.Index ?? position;
        var fragment = call.Function?.Arguments;
        if (!_blockByToolIndex.TryGetValue(toolIndex, out var block))
        {
            CloseBlock();
            block = _nextBlock++;
            _blockByToolIndex[toolIndex] = block;
            _openBlock = block;
            _openKind = BlockKind.ToolCall;
            var id = string.IsNullOrEmpty(call.Id) ? "call_" + Guid.NewGuid().ToString("N")[..24] : call.Id;
            _events.Add(new BlockStarted(block, BlockKind.ToolCall, id, call.Function?.Name ?? ""));
        }
        if (!string.IsNullOrEmpty(fragment))
        {
            _events.Add(new ToolArgumentsDelta(block, fragment));
        }
    }

    private int EnsureBlock(BlockKind kind)
    {
        if (_openBlock is { } open && _openKind == kind)
        {
            return open;
        }
        CloseBlock();
        var block = _nextBlock++;
        _openBlock = block;
        _openKind = kind;
        _events.Add(new BlockStarted(block, kind));
        return block;
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
