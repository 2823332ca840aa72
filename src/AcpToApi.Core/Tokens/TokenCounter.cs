using AcpToApi.Conversation;
using Microsoft.ML.Tokenizers;

namespace AcpToApi.Tokens;

/// <summary>
/// Counts a request's input tokens with a real BPE tokenizer (tiktoken cl100k_base). Other vendors'
/// tokenizers differ, so this is an estimate: typically within 10–20% of Claude's and Gemini's counts
/// for English text and code. Rules: every text part and tool result is tokenized; each message adds
/// 3 tokens of framing; each tool adds its name, description and JSON schema; each image counts a
/// flat 1,600 tokens (Anthropic's cost of a ~1.15-megapixel image); tool calls count their name and arguments.
/// </summary>
internal static class TokenCounter
{
    public const int TokensPerImage = 1600;
    public const int TokensPerMessage = 3;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public static int Count(string text) => text.Length == 0 ? 0 : Encoding.Value.CountTokens(text);

    public static int CountInput(ChatRequest request)
    {
        var total = 0;
        foreach (var message in request.Messages)
        {
            total += TokensPerMessage + CountParts(message.Content);
        }
        foreach (var tool in request.Tools)
        {
            total += Count(tool.Name) + Count(tool.Description ?? "") + (tool.Parameters is { } schema ? Count(schema.GetRawText()) : 0);
        }
        return total;
    }

    private static int CountParts(IEnumerable<ContentPart> parts)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += part switch
            {
                TextPart text => Count(text.Text),
                ReasoningPart reasoning => Count(reasoning.Text),
                ImagePart => TokensPerImage,
                ToolCallPart call => Count(call.Name) + Count(call.ArgumentsJson),
                ToolResultPart result => CountParts(result.Content),
                _ => 0,
            };
        }
        return total;
    }
}
