using System.Text.Json;

namespace AcpToApi.Conversation;

/// <summary>One piece of a message. Tool calls and tool results are parts too, so every protocol maps onto one shape.</summary>
internal abstract record ContentPart;

internal sealed record TextPart(string Text) : ContentPart;

/// <summary>An image given either by URL (http or data:) or by inline base64 data with its media type.</summary>
internal sealed record ImagePart(string? Url, string? MediaType = null, string? Base64Data = null, string? Detail = null) : ContentPart
{
    /// <summary>The image as a data: URL or its original URL.</summary>
    public string ToUrl() => Base64Data is null ? Url ?? "" : $"data:{MediaType ?? "image/png"};base64,{Base64Data}";

    /// <summary>Builds a part from a URL, splitting data: URLs into media type and payload.</summary>
    public static ImagePart FromUrl(string url, string? detail = null)
    {
        const string prefix = "data:";
        var marker = url.IndexOf(";base64,", StringComparison.Ordinal);
        if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && marker > 0)
        {
            return new ImagePart(null, url[prefix.Length..marker], url[(marker + 8)..], detail);
        }
        return new ImagePart(url, null, null, detail);
    }
}

/// <summary>Model reasoning kept in history; the signature must go back upstream byte for byte.</summary>
internal sealed record ReasoningPart(string Text, string? Signature = null) : ContentPart;

/// <summary>A call the assistant made; arguments are the raw JSON text the model produced.</summary>
internal sealed record ToolCallPart(string Id, string Name, string ArgumentsJson) : ContentPart
{
    public JsonElement? ParseArguments()
    {
        try
        {
            return string.IsNullOrWhiteSpace(ArgumentsJson) ? null : JsonDocument.Parse(ArgumentsJson).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The result of a tool call, sent back by the client.</summary>
internal sealed record ToolResultPart(string ToolCallId, string? Name, IReadOnlyList<ContentPart> Content, bool IsError = false) : ContentPart
{
    public string Text => string.Concat(Content.OfType<TextPart>().Select(t => t.Text));
}
