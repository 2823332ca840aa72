using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;

namespace AcpToApi.Protocols.Responses;

/// <summary>
/// Server side: a client's Responses request as the neutral <see cref="ChatRequest"/>. Lenient where agents are
/// varied (unknown item types such as <c>web_search_call</c> or <c>compaction</c> are skipped, tool types no backend
/// can run are dropped and reported), strict where a request cannot be understood (a 400 naming the field).
/// </summary>
internal static class ResponsesRequestReader
{
    /// <summary>
    /// Reads <paramref name="wire"/>; <paramref name="history"/> is the conversation of <c>previous_response_id</c>, if any,
    /// and <paramref name="findItem"/> finds a stored output item by id, for <c>item_reference</c> input items.
    /// </summary>
    public static ResponsesReading Read(ResponsesRequest wire, IReadOnlyList<ChatMessage>? history = null, Func<string, JsonElement?>? findItem = null)
    {
        if (string.IsNullOrWhiteSpace(wire.Model))
        {
            throw Invalid("The 'model' field is required, e.g. \"echo/hello\".", "model", "missing_required_parameter");
        }
        RejectServerSideState(wire);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(wire.Instructions))
        {
            messages.Add(ChatMessage.FromText(ChatRole.System, wire.Instructions));
        }
        if (history is not null)
        {
            // Instructions are not carried over from the previous response (as OpenAI does); the turns are.
            messages.AddRange(history.Where(m => m.Role != ChatRole.System));
        }
        var input = ReadInput(wire.Input, messages.Count > 0, findItem);
        messages.AddRange(input);
        if (messages.All(m => m.Role == ChatRole.System))
        {
            throw Invalid("The 'input' field is required: a string or a list of input items.", "input", "missing_required_parameter");
        }
        var (tools, dropped) = ResponsesToolReader.ReadTools(wire.Tools);
        return new ResponsesReading(
            new ChatRequest
            {
                Model = wire.Model,
                Messages = messages,
                Tools = tools,
                ToolChoice = ResponsesToolReader.ReadToolChoice(wire.ToolChoice),
                ParallelToolCalls = wire.ParallelToolCalls,
                Temperature = wire.Temperature,
                TopP = wire.TopP,
                MaxTokens = wire.MaxOutputTokens is { } max
                    ? max > 0 ? max : throw Invalid("max_output_tokens must be a positive number.", "max_output_tokens", "invalid_value")
                    : null,
                ReasoningEffort = wire.Reasoning?.Effort is { } effort && effort != "none" ? effort : null,
                ResponseFormat = ReadFormat(wire.Text?.Format),
                User = wire.User,
                Stream = wire.Stream ?? false,
            },
            input,
            dropped);
    }

    private static List<ChatMessage> ReadInput(JsonElement? input, bool hasEarlierMessages, Func<string, JsonElement?>? findItem)
    {
        switch (input)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return hasEarlierMessages ? [] : throw Invalid("The 'input' field is required: a string or a list of input items.", "input", "missing_required_parameter");
            case { ValueKind: JsonValueKind.String } text:
                return [ChatMessage.FromText(ChatRole.User, text.GetString()!)];
            case { ValueKind: JsonValueKind.Array } items:
                return ResponsesItemReader.ReadItems(items, findItem);
            default:
                throw Invalid("'input' must be a string or an array of input items.", "input", "invalid_type");
        }
    }

    /// <summary>
    /// Fields that name state kept on OpenAI's servers (conversation objects, stored prompt templates) would silently
    /// lose history or instructions if ignored, so they are refused, naming what works instead.
    /// </summary>
    private static void RejectServerSideState(ResponsesRequest wire)
    {
        foreach (var (name, instead) in new[] { ("conversation", "previous_response_id or the whole history in 'input'"), ("prompt", "'instructions' and 'input'") })
        {
            if (wire.Extra?.TryGetValue(name, out var value) == true && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                throw Invalid($"'{name}' refers to state kept on OpenAI's servers, which acptoapi does not have; use {instead} instead.", name, "unsupported_parameter");
            }
        }
    }

    /// <summary><c>text.format</c> in the chat-completions <c>response_format</c> shape the backends understand.</summary>
    private static JsonElement? ReadFormat(JsonElement? format)
    {
        if (format is not { ValueKind: JsonValueKind.Object } element || Str(element, "type") is not { } type || type == "text")
        {
            return null;
        }
        var converted = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            if (type == "json_schema")
            {
                w.WriteStartObject("json_schema");
                w.WriteString("name", Str(element, "name") ?? "response");
                foreach (var name in new[] { "description", "schema", "strict" })
                {
                    if (element.TryGetProperty(name, out var value))
                    {
                        w.WritePropertyName(name);
                        value.WriteTo(w);
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
        using var document = JsonDocument.Parse(converted);
        return document.RootElement.Clone();
    }

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static ChatBackendException Invalid(string message, string param, string code) =>
        new(ChatErrorKind.BadRequest, message) { Param = param, Code = code };
}

/// <summary>A read request: the neutral request, the messages its own <c>input</c> added, and the tools that were dropped.</summary>
internal sealed record ResponsesReading(ChatRequest Request, IReadOnlyList<ChatMessage> Input, IReadOnlyList<string> DroppedTools);
