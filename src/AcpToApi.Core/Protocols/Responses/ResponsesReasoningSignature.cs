namespace AcpToApi.Protocols.Responses;

/// <summary>
/// A reasoning signature (Anthropic's, Gemini's) travels to Responses clients in <c>encrypted_content</c>, marked as
/// ours, so it can go back upstream byte for byte when the client replays the item. Another server's encrypted
/// content is not a signature any backend here could verify, and is dropped.
/// </summary>
internal static class ResponsesReasoningSignature
{
    private const string Prefix = "acptoapi.v1:";

    public static string? Wrap(string? signature) => string.IsNullOrEmpty(signature) ? null : Prefix + signature;

    public static string? Unwrap(string? encryptedContent) =>
        encryptedContent is not null && encryptedContent.StartsWith(Prefix, StringComparison.Ordinal) && encryptedContent.Length > Prefix.Length
            ? encryptedContent[Prefix.Length..]
            : null;
}
