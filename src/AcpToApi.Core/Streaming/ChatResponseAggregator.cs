using System.Text;
using AcpToApi.Conversation;

namespace AcpToApi.Streaming;

/// <summary>Folds a <see cref="ChatEvent"/> stream into one <see cref="ChatResponse"/>: the only non-streaming code path.</summary>
internal sealed class ChatResponseAggregator
{
    private readonly List<ContentPart> _content = [];
    private readonly StringBuilder _buffer = new();
    private readonly StringBuilder _signature = new();
    private BlockStarted? _open;
    private string? _id;
    private string? _model;
    private ChatUsage? _usage;
    private StopReason? _stopReason;
    private string? _stopSequence;

    public bool Completed => _stopReason is not null;

    public void Add(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case ResponseStarted started:
                _id ??= started.ResponseId;
                _model ??= started.Model;
                break;
            case BlockStarted block:
                CloseOpenBlock();
                _open = block;
                break;
            case TextDelta text:
                _buffer.Append(text.Text);
                break;
            case ReasoningDelta reasoning:
                _buffer.Append(reasoning.Text);
                break;
            case SignatureDelta signature:
                _signature.Append(signature.Signature);
                break;
            case ToolArgumentsDelta arguments:
                _buffer.Append(arguments.JsonFragment);
                break;
            case BlockStopped:
                CloseOpenBlock();
                break;
            case UsageReported usage:
                _usage = usage.Usage;
                break;
            case ResponseCompleted completed:
                CloseOpenBlock();
                _stopReason = completed.StopReason;
                _stopSequence = completed.StopSequence;
                break;
        }
    }

    public ChatResponse ToResponse()
    {
        CloseOpenBlock();
        return new ChatResponse(_id, _model, MergeAdjacentText(_content), _usage, _stopReason ?? StopReason.EndTurn, _stopSequence);
    }

    public static async Task<ChatResponse> AggregateAsync(IAsyncEnumerable<ChatEvent> events, CancellationToken cancellationToken)
    {
        var aggregator = new ChatResponseAggregator();
        await foreach (var chatEvent in events.WithCancellation(cancellationToken))
        {
            aggregator.Add(chatEvent);
        }
        return aggregator.ToResponse();
    }

    private void CloseOpenBlock()
    {
        if (_open is null)
        {
            return;
        }
        var text = _buffer.ToString();
        ContentPart part = _open.Kind switch
        {
            BlockKind.Reasoning => new ReasoningPart(text, _signature.Length == 0 ? null : _signature.ToString()),
            BlockKind.ToolCall => new ToolCallPart(_open.ToolCallId ?? "", _open.ToolName ?? "", text.Length == 0 ? "{}" : text),
            BlockKind.ToolResult => new ToolResultPart(_open.ToolCallId ?? "", _open.ToolName, [new TextPart(text)]),
            _ => new TextPart(text),
        };
        _content.Add(part);
        _buffer.Clear();
        _signature.Clear();
        _open = null;
    }

    private static List<ContentPart> MergeAdjacentText(List<ContentPart> parts)
    {
        var merged = new List<ContentPart>(parts.Count);
        foreach (var part in parts)
        {
            if (part is TextPart text && merged.Count > 0 && merged[^1] is TextPart previous)
            {
                merged[^1] = new TextPart(previous.Text + text.Text);
            }
            else
            {
                merged.Add(part);
            }
        }
        return merged;
    }
}
