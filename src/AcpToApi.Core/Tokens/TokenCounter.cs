using AcpToApi.Conversation;
using Microsoft.ML.Tokenizers;

namespace AcpToApi.Tokens;

/// <summary>
/// Counts a request's input tokens with a real BPE tokenizer (tiktoken cl100k_base). Other vendors'
/// tokenizers differ, so this is an estimate: typically within 10–20% of Claude's and Gemini's counts
/// for English text and code. Rules: every text part and tool result is tokenized; each message adds
/// 3 tokens of framing; each tool adds its name, description and JSON schema; each image counts a
/// flat 1,600 tokens (Anthropic's cost of a ~1.15-megapixel image); tool calls count their name and arguments.
/// BPE merges within one pre-token take time that grows with the square of its length, so text is counted in pieces and
/// no run of whitespace or non-whitespace longer than <see cref="MaxRun"/> characters reaches the tokenizer whole: the
/// count stays linear in the input (a cut can add at most one token per <see cref="MaxRun"/> characters to the estimate),
/// and the cancellation token is checked between pieces.
/// </summary>
internal static class TokenCounter
{
    public const int TokensPerImage = 1600;
    public const int TokensPerMessage = 3;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    /// <summary>The longest run of whitespace or of other characters handed to the tokenizer in one piece.</summary>
    public const int MaxRun = 128;

    /// <summary>About how much text is counted between two cancellation checks.</summary>
    private const int PieceLength = 16 * 1024;

    public static int Count(string text, CancellationToken cancellationToken = default)
    {
        if (text.Length <= MaxRun)
        {
            return text.Length == 0 ? 0 : Encoding.Value.CountTokens(text);
        }
        var total = 0;
        var start = 0;
        var run = 0;
        var inWhitespace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var whitespace = char.IsWhiteSpace(text[i]);
            if (whitespace != inWhitespace)
            {
                inWhitespace = whitespace;
                run = 0;
                if (whitespace && i - start >= PieceLength)
                {
                    total += CountPiece(text, start, i, cancellationToken);
                    start = i;
                }
            }
            // Never between the halves of a surrogate pair.
            if (++run >= MaxRun && !char.IsHighSurrogate(text[i]))
            {
                total += CountPiece(text, start, i + 1, cancellationToken);
                start = i + 1;
                run = 0;
            }
        }
        return total + CountPiece(text, start, text.Length, cancellationToken);
    }

    public static int CountInput(ChatRequest request, CancellationToken cancellationToken = default)
    {
        var total = 0;
        foreach (var message in request.Messages)
        {
            total += TokensPerMessage + CountParts(message.Content, cancellationToken);
        }
        foreach (var tool in request.Tools)
        {
            total += Count(tool.Name, cancellationToken) + Count(tool.Description ?? "", cancellationToken)
                + (tool.Parameters is { } schema ? Count(schema.GetRawText(), cancellationToken) : 0);
        }
        return total;
    }

    private static int CountPiece(string text, int start, int end, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return end > start ? Encoding.Value.CountTokens(text.AsSpan(start, end - start)) : 0;
    }

    private static int CountParts(IEnumerable<ContentPart> parts, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += part switch
            {
                TextPart text => Count(text.Text, cancellationToken),
                ReasoningPart reasoning => Count(reasoning.Text, cancellationToken),
                ImagePart => TokensPerImage,
                ToolCallPart call => Count(call.Name, cancellationToken) + Count(call.ArgumentsJson, cancellationToken),
                ToolResultPart result => CountParts(result.Content, cancellationToken),
                _ => 0,
            };
        }
        return total;
    }
}
