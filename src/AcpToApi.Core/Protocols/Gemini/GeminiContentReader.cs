using System.Text.Json;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Gemini;

/// <summary>Reads one Gemini content (role + parts) into a neutral message.</summary>
internal static class GeminiContentReader
{
    public static List<ContentPart> ReadSystem(GeminiContent system)
    {
        WireArrays.RejectNulls(system.Parts, i => $"systemInstruction.parts[{i}]");
        var parts = new List<ContentPart>();
        foreach (var (part, i) in (system.Parts ?? []).Select((p, i) => (p, i)))
        {
            if (part.Text is null)
            {
                throw GeminiRequestReader.Invalid($"systemInstruction.parts[{i}]: only text parts are allowed in systemInstruction.", $"systemInstruction.parts[{i}]");
            }
            parts.Add(new TextPart(part.Text));
        }
        return parts;
    }

    public static ChatMessage Read(GeminiContent content, int index, GeminiCallIds ids)
    {
        var param = $"contents[{index}]";
        var isModel = content.Role switch
        {
            "model" => true,
            null or "" or "user" or "function" or "tool" => false,
            var other => throw GeminiRequestReader.Invalid($"{param}.role '{other}' is not one of user, model.", $"{param}.role"),
        };
        if (content.Parts is null || content.Parts.Count == 0)
        {
            throw GeminiRequestReader.Invalid($"{param}.parts must hold at least one part.", $"{param}.parts");
        }

        WireArrays.RejectNulls(content.Parts, i => $"{param}.parts[{i}]");
        var parts = new List<ContentPart>(content.Parts.Count);
        for (var i = 0; i < content.Parts.Count; i++)
        {
            ReadPart(content.Parts[i], $"{param}.parts[{i}]", isModel, index, i, ids, parts);
        }
        if (isModel)
        {
            return new ChatMessage(ChatRole.Assistant, parts);
        }
        return new ChatMessage(parts.All(p => p is ToolResultPart) ? ChatRole.Tool : ChatRole.User, parts);
    }

    private static void ReadPart(GeminiPart part, string param, bool isModel, int contentIndex, int partIndex, GeminiCallIds ids, List<ContentPart> parts)
    {
        if (part.Text is { } text)
        {
            if (part.Thought == true)
            {
                if (isModel)
                {
                    parts.Add(new ReasoningPart(text, part.ThoughtSignature));
                }
                return;
            }
            AttachSignature(part.ThoughtSignature, parts);
            parts.Add(new TextPart(text));
            return;
        }
        if (part.FunctionCall is { } call)
        {
            if (!isModel)
            {
                throw GeminiRequestReader.Invalid($"{param}: functionCall parts belong in 'model' contents.", param);
            }
            if (string.IsNullOrEmpty(call.Name))
            {
                throw GeminiRequestReader.Invalid($"{param}.functionCall.name is required.", $"{param}.functionCall.name");
            }
            AttachSignature(part.ThoughtSignature, parts);
            var arguments = call.Args is { ValueKind: not JsonValueKind.Null } args ? args.GetRawText() : "{}";
            parts.Add(new ToolCallPart(ids.ForCall(call.Id, call.Name, contentIndex, partIndex), call.Name, arguments));
            return;
        }
        if (part.FunctionResponse is { } response)
        {
            if (isModel)
            {
                throw GeminiRequestReader.Invalid($"{param}: functionResponse parts belong in 'user' contents.", param);
            }
            if (string.IsNullOrEmpty(response.Name))
            {
                throw GeminiRequestReader.Invalid($"{param}.functionResponse.name is required.", $"{param}.functionResponse.name");
            }
            var (output, isError) = ResponseText(response.Response);
            parts.Add(new ToolResultPart(ids.ForResponse(response.Id, response.Name, contentIndex, partIndex), response.Name, [new TextPart(output)], isError));
            return;
        }
        if (part.InlineData is { } blob)
        {
            if (string.IsNullOrEmpty(blob.Data) || blob.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) != true)
            {
                throw GeminiRequestReader.Invalid($"{param}.inlineData: only images (mimeType image/*) with base64 'data' are supported, not '{blob.MimeType}'.", $"{param}.inlineData");
            }
            parts.Add(new ImagePart(null, blob.MimeType, blob.Data));
            return;
        }
        if (part.FileData is { } file)
        {
            if (string.IsNullOrEmpty(file.FileUri) || file.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) != true)
            {
                throw GeminiRequestReader.Invalid($"{param}.fileData: only images (mimeType image/*) given by 'fileUri' are supported.", $"{param}.fileData");
            }
            parts.Add(ImagePart.FromUrl(file.FileUri));
            return;
        }
        var kind = part.Extra?.Keys.FirstOrDefault() ?? "(empty)";
        throw GeminiRequestReader.Invalid($"{param}: part kind '{kind}' is not supported (use text, inlineData, fileData, functionCall or functionResponse).", param);
    }

    /// <summary>Gemini puts a thought signature on the first part after the thinking; keep it with the reasoning.</summary>
    private static void AttachSignature(string? signature, List<ContentPart> parts)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return;
        }
        if (parts.Count > 0 && parts[^1] is ReasoningPart { Signature: null } reasoning)
        {
            parts[^1] = reasoning with { Signature = signature };
            return;
        }
        parts.Add(new ReasoningPart("", signature));
    }

    /// <summary>
    /// The tool output as text: {"output": "…"} or {"result": "…"} (Gemini's conventions) gives the string,
    /// {"error": …} marks a failure, anything else is passed on as its JSON.
    /// </summary>
    private static (string Text, bool IsError) ResponseText(JsonElement? response)
    {
        if (response is not { ValueKind: JsonValueKind.Object } value)
        {
            return (response is { ValueKind: not JsonValueKind.Null } other ? other.GetRawText() : "", false);
        }
        var list = value.EnumerateObject().ToList();
        if (list.Count == 1)
        {
            var only = list[0];
            var text = only.Value.ValueKind == JsonValueKind.String ? only.Value.GetString()! : only.Value.GetRawText();
            switch (only.Name)
            {
                case "output" or "result" or "content":
                    return (text, false);
                case "error":
                    return (text, true);
            }
        }
        return (value.GetRawText(), false);
    }
}
