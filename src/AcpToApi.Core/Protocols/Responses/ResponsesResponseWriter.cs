using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols.Responses;

/// <summary>Server side: a whole (non-streamed) answer as the <c>response</c> object with its <c>output</c> items.</summary>
internal static class ResponsesResponseWriter
{
    public static void Write(Utf8JsonWriter w, ResponsesEcho echo, ChatResponse response)
    {
        var incomplete = ResponsesObjectWriter.IncompleteReason(response.StopReason);
        ResponsesObjectWriter.Write(w, echo, incomplete is null ? "completed" : "incomplete", Items(response.Content), response.Usage, incompleteReason: incomplete);
    }

    /// <summary>The output items of a whole answer, in order.</summary>
    public static List<byte[]> Items(IReadOnlyList<ContentPart> content)
    {
        var items = new List<byte[]>(content.Count);
        foreach (var part in content)
        {
            switch (part)
            {
                case ReasoningPart reasoning:
                    items.Add(ResponsesItemWriter.Reasoning(ResponsesEcho.NewId("rs"), reasoning.Text, reasoning.Signature));
                    break;
                case TextPart text:
                    items.Add(ResponsesItemWriter.Message(ResponsesEcho.NewId("msg"), "completed", text.Text));
                    break;
                case ToolCallPart call:
                    items.Add(ResponsesItemWriter.FunctionCall(ResponsesEcho.NewId("fc"), "completed", call.Id, call.Name, call.ArgumentsJson));
                    break;
                case ToolResultPart result:
                    items.Add(ResponsesItemWriter.Message(ResponsesEcho.NewId("msg"), "completed", ToolResultMarker.Format(result.Name, result.ToolCallId, result.Text)));
                    break;
            }
        }
        return items;
    }
}
