using System.Buffers;
using System.Text;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Protocols;
using AcpToApi.Streaming;

namespace AcpToApi.Endpoints;

/// <summary>
/// /debug/translate as an ordinary exchange: the neutral request and the route first, then every event the backend
/// produced, each as an SSE frame named after its type; a failure is an <c>error</c> frame. Running through
/// <see cref="Hosting.ChatExchange"/> gives it the same cancellation, error handling, keep-alives and log line.
/// </summary>
internal sealed class DebugExchangeRenderer(ChatRequest request, RoutedModel route) : IExchangeRenderer
{
    public string Protocol => "debug";

    public IErrorRenderer Errors => OpenAIErrorRenderer.Instance;

    public IProtocolStreamWriter CreateStreamWriter() => new Writer(request, route);

    public void WriteResponse(Utf8JsonWriter writer, ChatResponse response) =>
        throw new InvalidOperationException("/debug/translate always streams");

    private sealed class Writer(ChatRequest request, RoutedModel route) : IProtocolStreamWriter
    {
        private bool _started;

        public bool Completed { get; private set; }

        public bool Write(ChatEvent chatEvent, IBufferWriter<byte> output)
        {
            if (!_started)
            {
                _started = true;
                WriteFrame(output, "request", w => DebugJson.WriteRequest(w, request));
                WriteFrame(output, "route", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("backend", route.Registration.Prefix);
                    w.WriteString("model", route.BackendModel);
                    w.WriteEndObject();
                });
            }
            WriteFrame(output, chatEvent.GetType().Name, w => DebugJson.WriteEvent(w, chatEvent));
            Completed |= chatEvent is ResponseCompleted;
            return true;
        }

        public void WriteError(ChatBackendException error, IBufferWriter<byte> output) => WriteFrame(output, "error", w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", error.Kind.ToString());
            w.WriteNumber("status", error.HttpStatus);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        });

        private static void WriteFrame(IBufferWriter<byte> output, string name, Action<Utf8JsonWriter> write)
        {
            output.Write(Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
            output.Write(WireJson.ToBytes(write));
            output.Write("\n\n"u8);
        }
    }
}
