using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Backends.Echo;

/// <summary>
/// Built in and needing nothing installed: streams back the last user message one word per frame
/// (spaces kept), counting words as tokens. Options in the model name add reasoning, a tool call,
/// pacing and errors, so every client path can be tried without a model.
/// </summary>
internal sealed partial class EchoBackend(TimeProvider? timeProvider = null) : IChatBackend, IBackendProbe
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Target => "built in";

    public bool IsConfigured => true;

    public Task<BackendStatus> ProbeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(BackendStatus.Reached(Target, "always available", 0));

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["hello", "think", "tool", "think+tool+delay=50"]);

    public async IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = EchoOptions.Parse(request.Model);
        if (options.ErrorStatus is { } status)
        {
            throw new ChatBackendException(ChatBackendException.KindFromStatus(status), $"echo: HTTP {status} error requested by the model id '{request.Model}'.")
            {
                Status = status,
                UpstreamStatus = status,
                RetryAfter = status == 429 ? TimeSpan.FromSeconds(1) : null,
            };
        }

        var inputTokens = request.Messages.Sum(m => CountWords(m.Text) + m.ToolResults.Sum(r => CountWords(r.Text)));
        var outputTokens = 0;
        var output = new ChatEventBuilder();
        output.Start("echo-" + Guid.NewGuid().ToString("N")[..16], request.Model);
        // Known before any output, so protocols that report it at the start (Anthropic's message_start) can.
        output.Usage(new ChatUsage(inputTokens, 0));
        foreach (var chatEvent in output.Drain())
        {
            yield return chatEvent;
        }

        var lastMessage = request.Messages[^1];
        var toolResult = lastMessage.ToolResults.LastOrDefault();
        var text = toolResult?.Text ?? request.LastUserText;

        if (options.Think)
        {
            foreach (var word in Words($"The user wrote {CountWords(text)} words; I will echo them back."))
            {
                await DelayAsync(options, cancellationToken).ConfigureAwait(false);
                outputTokens++;
                output.Reasoning(word);
                foreach (var chatEvent in output.Drain())
                {
                    yield return chatEvent;
                }
            }
            output.Signature("echo-signature-" + CountWords(text));
            output.CloseAll();
        }

        var tool = options.Tool && toolResult is null ? PickTool(request) : null;
        var stopReason = StopReason.EndTurn;
        var (words, truncatedBy) = Truncate(Words(text), request);
        if (words.Count > 0 && (tool is null || text.Length > 0))
        {
            foreach (var word in words)
            {
                if (options.FailAfterWords is { } failAfter && outputTokens >= failAfter)
                {
                    throw new ChatBackendException(ChatErrorKind.UpstreamError, $"echo: failure after {failAfter} words requested by the model id.");
                }
                await DelayAsync(options, cancellationToken).ConfigureAwait(false);
                outputTokens++;
                output.Text(word);
                foreach (var chatEvent in output.Drain())
                {
                    yield return chatEvent;
                }
            }
            output.CloseAll();
            stopReason = truncatedBy?.Reason ?? stopReason;
        }

        if (tool is not null && stopReason == StopReason.EndTurn)
        {
            await DelayAsync(options, cancellationToken).ConfigureAwait(false);
            output.ToolCall("call_echo_" + Guid.NewGuid().ToString("N")[..12], tool.Name);
            output.ToolArguments(EchoToolArguments.Build(tool, text));
            output.CloseAll();
            outputTokens++;
            stopReason = StopReason.ToolUse;
        }

        output.Usage(new ChatUsage(inputTokens, outputTokens));
        output.Complete(stopReason, truncatedBy?.StopSequence);
        foreach (var chatEvent in output.Drain())
        {
            yield return chatEvent;
        }
    }

    private static ToolDefinition? PickTool(ChatRequest request)
    {
        if (request.ToolChoice?.Mode == ToolChoiceMode.None)
        {
            return null;
        }
        if (request.ToolChoice is { Mode: ToolChoiceMode.Function, FunctionName: { } name })
        {
            return request.Tools.FirstOrDefault(t => t.Name == name)
                ?? throw new ChatBackendException(ChatErrorKind.BadRequest, $"tool_choice names '{name}', which is not in tools.") { Param = "tool_choice" };
        }
        return request.Tools.FirstOrDefault();
    }

    /// <summary>Applies max_tokens and stop sequences the way a model would.</summary>
    private static (List<string> Words, Truncation? Truncation) Truncate(List<string> words, ChatRequest request)
    {
        var joined = string.Concat(words);
        foreach (var stop in request.Stop.Where(s => s.Length > 0))
        {
            var at = joined.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (Words(joined[..at]), new Truncation(StopReason.StopSequence, stop));
            }
        }
        if (request.MaxTokens is { } max && words.Count > max)
        {
            return (words.GetRange(0, max), new Truncation(StopReason.MaxTokens, null));
        }
        return (words, null);
    }

    private sealed record Truncation(StopReason Reason, string? StopSequence);

    private Task DelayAsync(EchoOptions options, CancellationToken cancellationToken) =>
        options.DelayMs > 0 ? Task.Delay(TimeSpan.FromMilliseconds(options.DelayMs), _time, cancellationToken) : Task.CompletedTask;

    /// <summary>Splits text into words that keep their trailing whitespace, so the words join back to the text.</summary>
    public static List<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value).ToList();

    private static int CountWords(string text) => WordPattern().Count(text);

    [GeneratedRegex(@"\s*\S+\s*")]
    private static partial Regex WordPattern();
}
