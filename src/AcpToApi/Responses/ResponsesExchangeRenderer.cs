using System.Buffers;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Endpoints;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Responses;
using AcpToApi.Streaming;

namespace AcpToApi.Responses;

/// <summary>
/// Renders an exchange as the Responses API, streamed or whole, and hands the finished response (its JSON and the
/// conversation it ends) to <paramref name="completed"/> so it can be stored.
/// </summary>
internal sealed class ResponsesExchangeRenderer(ResponsesEcho echo, ChatRequest request, Action<byte[], IReadOnlyList<ChatMessage>>? completed)
    : IExchangeRenderer
{
    public string Protocol => "responses";

    public IErrorRenderer Errors => OpenAIErrorRenderer.Instance;

    public IProtocolStreamWriter CreateStreamWriter() =>
        new StoringWriter(echo, completed is null ? null : (json, response) => completed(json, Conversation(response)));

    public void WriteResponse(Utf8JsonWriter writer, ChatResponse response)
    {
        // Rendered once, so the stored copy has the same item ids as the answer.
        var json = WireJson.ToBytes(w => ResponsesResponseWriter.Write(w, echo, response));
        writer.WriteRawValue(json, skipInputValidation: true);
        completed?.Invoke(json, Conversation(response));
    }

    /// <summary>The request's turns followed by the answer, as the next request's history.</summary>
    private IReadOnlyList<ChatMessage> Conversation(ChatResponse response)
    {
        var answer = response.Content
            .Select(p => p is ToolResultPart result ? new TextPart(ToolResultMarker.Format(result.Name, result.ToolCallId, result.Text)) : p)
            .ToList();
        return [.. request.Messages.Where(m => m.Role != ChatRole.System), new ChatMessage(ChatRole.Assistant, answer)];
    }

    /// <summary>The stream writer, plus an aggregator that sees the same events, for the stored copy.</summary>
    private sealed class StoringWriter(ResponsesEcho echo, Action<byte[], ChatResponse>? completed) : IProtocolStreamWriter
    {
        private readonly ResponsesStreamWriter _writer = new(echo);
        private readonly ChatResponseAggregator _aggregator = new();

        public bool Completed => _writer.Completed;

        public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
        {
            _aggregator.Add(chatEvent);
            var wrote = _writer.Write(chatEvent, output);
            if (chatEvent is ResponseCompleted && completed is not null)
            {
                completed(_writer.FinalResponse(), _aggregator.ToResponse());
            }
            return wrote;
        }

        public void WriteError(ChatBackendException error, IBufferWriter<byte> output) => _writer.WriteError(error, output);
    }
}
