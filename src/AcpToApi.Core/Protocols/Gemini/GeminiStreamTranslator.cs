using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Client side: one upstream Gemini stream, chunk by chunk, into <paramref name="output"/>: text, thoughts (with their
/// signatures) and whole function calls; the finish reason and the last usage complete it.
/// </summary>
/// <remarks>Gemini may omit call ids; those get <c>&lt;callIdPrefix&gt;&lt;n&gt;</c>, unique per response.</remarks>
internal sealed class GeminiStreamTranslator(ChatEventBuilder output, string upstreamName, string callIdPrefix)
{
    private string? _finishReason;
    private ChatUsage? _usage;

    public void Translate(GeminiGenerateContentResponse chunk)
    {
        output.Start(chunk.ResponseId, chunk.ModelVersion);
        var candidate = chunk.Candidates?.FirstOrDefault(c => (c.Index ?? 0) == 0);
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            TranslatePart(part);
        }
        if (candidate?.FinishReason is { } finish)
        {
            _finishReason = finish;
            output.CloseAll();
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
    }

    /// <summary>At the end of the body: complete, or throw when the stream was cut off.</summary>
    public void Finish()
    {
        if (_finishReason is null)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{upstreamName} ended the stream without a finishReason: the response was cut off.");
        }
        output.CloseAll();
        if (_usage is { } usage)
        {
            output.Usage(usage);
        }
        output.Complete(GeminiFinishReason.ToStopReason(_finishReason, output.ToolCallCount > 0));
    }

    private void TranslatePart(GeminiPart part)
    {
        if (part.Thought == true)
        {
            output.Reasoning(part.Text ?? "");
            output.Signature(part.ThoughtSignature ?? "");
            return;
        }
        // Gemini signs the first part after its thinking; the signature belongs with the reasoning.
        output.Signature(part.ThoughtSignature ?? "");
        if (part.FunctionCall is { } call)
        {
            var id = string.IsNullOrEmpty(call.Id) ? callIdPrefix + output.ToolCallCount : call.Id;
            output.ToolCall(id, call.Name ?? "");
            output.ToolArguments(call.Args is { ValueKind: JsonValueKind.Object } args ? args.GetRawText() : "{}");
            output.CloseAll();
            return;
        }
        output.Text(part.Text ?? "");
    }
}
