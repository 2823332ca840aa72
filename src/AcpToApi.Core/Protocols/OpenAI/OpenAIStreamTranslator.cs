using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.OpenAI;

/// <summary>
/// Client side: one upstream chat-completions stream, chunk by chunk, into <paramref name="output"/>. Tool calls are
/// keyed by their <c>index</c>, so calls announced before their arguments keep their own arguments.
/// </summary>
internal sealed class OpenAIStreamTranslator(ChatEventBuilder output, string upstreamName)
{
    private readonly HashSet<int> _announced = [];
    private string? _finishReason;

    /// <summary>True once the upstream sent <c>[DONE]</c>.</summary>
    public bool Done { get; set; }

    public void Translate(OpenAIChatChunk chunk)
    {
        output.Start(chunk.Id, chunk.Model);
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
                output.CloseAll();
            }
        }
        if (chunk.Usage is { } usage)
        {
            output.Usage(new ChatUsage(
                usage.PromptTokens,
                usage.CompletionTokens,
                usage.CompletionTokensDetails?.ReasoningTokens,
                usage.PromptTokensDetails?.CachedTokens));
        }
    }

    /// <summary>At the end of the body: complete, or throw when the stream was cut off.</summary>
    public void Finish()
    {
        if (_finishReason is null)
        {
            // A stream that stops without a finish reason was cut off: never pass it off as complete.
            throw new ChatBackendException(
                ChatErrorKind.UpstreamError,
                $"{upstreamName} closed the stream before the response finished{(Done ? " ([DONE] without a finish_reason)" : "")}.");
        }
        output.Complete(StopReason.FromOpenAI(_finishReason));
    }

    private void TranslateDelta(OpenAIDelta delta)
    {
        output.Reasoning(delta.ReasoningContent ?? delta.Reasoning ?? "");
        output.Text(delta.Content ?? "");
        output.Text(delta.Refusal ?? "");
        if (delta.ToolCalls is { } calls)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i];
                var toolIndex = call.Index ?? i;
                if (_announced.Add(toolIndex))
                {
                    var id = string.IsNullOrEmpty(call.Id) ? "call_" + Guid.NewGuid().ToString("N")[..24] : call.Id;
                    output.ToolCall(id, call.Function?.Name ?? "", toolIndex);
                }
                output.ToolArguments(call.Function?.Arguments ?? "", toolIndex);
            }
        }
    }
}
