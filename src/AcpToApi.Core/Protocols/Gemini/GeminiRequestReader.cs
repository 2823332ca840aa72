using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Gemini;

/// <summary>
/// Server side: turns a generateContent body plus the model from the path into the neutral <see cref="ChatRequest"/>.
/// Function calls without an id get a deterministic one from their position, and each functionResponse without
/// an id takes the id of the oldest unanswered call of the same name, so OpenAI-style upstreams see matching
/// tool_call_ids on every turn.
/// </summary>
internal static class GeminiRequestReader
{
    public static ChatRequest Read(GeminiGenerateContentRequest wire, string model, bool stream)
    {
        if (wire.Contents is null || wire.Contents.Count == 0)
        {
            throw Invalid("'contents' is required and must hold at least one content, e.g. {\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}.", "contents");
        }
        var config = wire.GenerationConfig;
        if (config?.CandidateCount is > 1)
        {
            throw Invalid($"generationConfig.candidateCount={config.CandidateCount} is not supported: every backend returns exactly one candidate. Send 1 or omit it.", "generationConfig.candidateCount");
        }
        if (config?.MaxOutputTokens is < 1)
        {
            throw Invalid("generationConfig.maxOutputTokens must be at least 1.", "generationConfig.maxOutputTokens");
        }
        if (!string.IsNullOrEmpty(wire.CachedContent))
        {
            throw new ChatBackendException(ChatErrorKind.NotImplemented, "cachedContent is not supported by acptoapi: send the whole conversation in 'contents'.") { Param = "cachedContent" };
        }

        WireArrays.RejectNulls(wire.Contents, i => $"contents[{i}]");
        WireArrays.RejectNulls(wire.Tools, i => $"tools[{i}]");
        WireArrays.RejectNulls(config?.StopSequences, i => $"generationConfig.stopSequences[{i}]", "a string");
        var messages = new List<ChatMessage>(wire.Contents.Count + 1);
        if (wire.SystemInstruction is { } system)
        {
            var text = GeminiContentReader.ReadSystem(system);
            if (text.Count > 0)
            {
                messages.Add(new ChatMessage(ChatRole.System, text));
            }
        }
        var ids = new GeminiCallIds();
        for (var i = 0; i < wire.Contents.Count; i++)
        {
            messages.Add(GeminiContentReader.Read(wire.Contents[i], i, ids));
        }

        var (tools, choice) = GeminiToolReader.Read(wire.Tools, wire.ToolConfig);
        return new ChatRequest
        {
            Model = model,
            Messages = messages,
            Tools = tools,
            ToolChoice = choice,
            Temperature = config?.Temperature,
            TopP = config?.TopP,
            TopK = config?.TopK is { } topK ? (int)topK : null,
            MaxTokens = config?.MaxOutputTokens,
            Stop = config?.StopSequences ?? [],
            Seed = config?.Seed,
            ResponseFormat = ReadResponseFormat(config),
            ThinkingBudget = config?.ThinkingConfig?.ThinkingBudget is > 0 and var budget ? budget : null,
            ReasoningEffort = config?.ThinkingConfig?.ThinkingLevel?.ToLowerInvariant(),
            Stream = stream,
        };
    }

    /// <summary>True when the client asked to see thought parts (Gemini hides them unless includeThoughts is set).</summary>
    public static bool IncludeThoughts(GeminiGenerateContentRequest wire) =>
        wire.GenerationConfig?.ThinkingConfig?.IncludeThoughts == true;

    private static JsonElement? ReadResponseFormat(GeminiGenerationConfig? config)
    {
        if (config?.ResponseMimeType is not "application/json")
        {
            if (config?.ResponseMimeType is { } mime && mime != "text/plain")
            {
                throw Invalid($"generationConfig.responseMimeType '{mime}' is not supported (use text/plain or application/json).", "generationConfig.responseMimeType");
            }
            return null;
        }
        var schema = config.ResponseJsonSchema ?? (config.ResponseSchema is { } openApi ? GeminiSchema.ToJsonSchema(openApi) : null);
        var bytes = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            if (schema is { } s)
            {
                w.WriteString("type", "json_schema");
                w.WriteStartObject("json_schema");
                w.WriteString("name", "response");
                w.WritePropertyName("schema");
                s.WriteTo(w);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("type", "json_object");
            }
            w.WriteEndObject();
        });
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    internal static ChatBackendException Invalid(string message, string param) =>
        new(ChatErrorKind.BadRequest, message) { Param = param, Code = "invalid_argument" };
}
