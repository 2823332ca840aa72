using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Protocols.OpenAI;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Responses;

/// <summary>The <c>response</c> object, whole: in <c>response.created</c>, <c>.completed</c>, <c>.failed</c> and non-streamed answers.</summary>
internal static class ResponsesObjectWriter
{
    public static void Write(Utf8JsonWriter w, ResponsesEcho echo, string status, IReadOnlyList<byte[]> output,
        ChatUsage? usage, ChatBackendException? error = null, string? incompleteReason = null)
    {
        w.WriteStartObject();
        w.WriteString("id", echo.Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", echo.CreatedAt);
        w.WriteString("status", status);
        w.WriteString("model", echo.Model);
        w.WriteStartArray("output");
        foreach (var item in output)
        {
            w.WriteRawValue(item, skipInputValidation: true);
        }
        w.WriteEndArray();
        if (error is null)
        {
            w.WriteNull("error");
        }
        else
        {
            w.WriteStartObject("error");
            w.WriteString("code", ResponsesErrorCodes.For(error));
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }
        if (incompleteReason is null)
        {
            w.WriteNull("incomplete_details");
        }
        else
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", incompleteReason);
            w.WriteEndObject();
        }
        WriteStringOrNull(w, "instructions", echo.Instructions);
        WriteNumberOrNull(w, "max_output_tokens", echo.MaxOutputTokens);
        w.WriteBoolean("parallel_tool_calls", echo.ParallelToolCalls);
        WriteStringOrNull(w, "previous_response_id", echo.PreviousResponseId);
        w.WriteStartObject("reasoning");
        WriteStringOrNull(w, "effort", echo.ReasoningEffort);
        w.WriteNull("summary");
        w.WriteEndObject();
        w.WriteBoolean("store", echo.Store);
        WriteNumberOrNull(w, "temperature", echo.Temperature);
        w.WriteStartObject("text");
        w.WritePropertyName("format");
        if (echo.TextFormat is { ValueKind: JsonValueKind.Object } format)
        {
            format.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WritePropertyName("tool_choice");
        if (echo.ToolChoice is { ValueKind: JsonValueKind.String or JsonValueKind.Object } choice)
        {
            choice.WriteTo(w);
        }
        else
        {
            w.WriteStringValue("auto");
        }
        w.WriteStartArray("tools");
        foreach (var tool in echo.Tools)
        {
            tool.WriteTo(w);
        }
        w.WriteEndArray();
        WriteNumberOrNull(w, "top_p", echo.TopP);
        w.WriteString("truncation", "disabled");
        if (usage is null)
        {
            w.WriteNull("usage");
        }
        else
        {
            w.WritePropertyName("usage");
            WriteUsage(w, usage);
        }
        WriteStringOrNull(w, "user", echo.User);
        w.WriteStartObject("metadata");
        foreach (var (key, value) in echo.Metadata ?? new Dictionary<string, string>())
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter w, ChatUsage usage)
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", usage.InputTokens);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", usage.CacheReadTokens ?? 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", usage.OutputTokens);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", usage.ReasoningTokens ?? 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteEndObject();
    }

    /// <summary>How a stop reason ends a Responses answer: completed, or incomplete with a reason.</summary>
    public static string? IncompleteReason(StopReason stopReason) =>
        stopReason == StopReason.MaxTokens ? "max_output_tokens"
        : stopReason == StopReason.Refusal ? "content_filter"
        : null;

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteNumber(name, value.Value);
    }
}

/// <summary>The <c>error.code</c> of a failed response, in the values clients such as Codex act on.</summary>
internal static class ResponsesErrorCodes
{
    public static string For(ChatBackendException error) => error.Kind switch
    {
        ChatErrorKind.RateLimited => "rate_limit_exceeded",
        ChatErrorKind.BadRequest => error.Code is "context_length_exceeded" ? error.Code : "invalid_prompt",
        ChatErrorKind.RequestTooLarge => "context_length_exceeded",
        ChatErrorKind.Unavailable => "server_is_overloaded",
        _ => "server_error",
    };

    /// <summary>The HTTP error body before the first byte: OpenAI's envelope, as for chat completions.</summary>
    public static byte[] Envelope(ChatBackendException error) => OpenAIErrorWriter.ToBytes(error);
}
