using AcpToApi.Backends;
using AcpToApi.Conversation;
using AcpToApi.Endpoints;
using AcpToApi.Hosting;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Responses;

namespace AcpToApi.Responses;

/// <summary><c>POST /v1/responses</c>, and <c>GET</c> / <c>DELETE /v1/responses/{id}</c> for stored responses.</summary>
internal static class ResponsesEndpoint
{
    /// <summary>Names the tool types that were dropped because no backend here can run them (Codex always sends some).</summary>
    public const string DroppedToolsHeader = "X-Acptoapi-Dropped-Tools";

    /// <summary>The tool types come from the client: printable ASCII only, and short, so the header is always valid.</summary>
    private static string HeaderSafe(string value)
    {
        const int Limit = 512;
        var safe = string.Create(Math.Min(value.Length, Limit), value, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = text[i] is >= ' ' and <= '~' ? text[i] : '?';
            }
        });
        return value.Length > Limit ? safe + "..." : safe;
    }

    public static async Task CreateAsync(HttpContext context, ChatExchange exchange, ResponsesStore store, ILogger<ResponsesStore> logger)
    {
        try
        {
            var wire = await RequestJson.ReadAsync(context, ResponsesJsonContext.Default.ResponsesRequest);
            IReadOnlyList<ChatMessage>? history = null;
            if (wire.PreviousResponseId is { Length: > 0 } previous)
            {
                history = store.Conversation(previous) ?? throw new ChatBackendException(ChatErrorKind.BadRequest,
                    $"Previous response with id '{previous}' not found: it expired, was deleted, was created with store=false, or by another acptoapi "
                    + "(responses are kept in memory only). Send the whole conversation in 'input' instead.")
                {
                    Param = "previous_response_id",
                    Code = "previous_response_not_found",
                };
            }
            var reading = ResponsesRequestReader.Read(wire, history, store.Item);
            if (reading.DroppedTools.Count > 0)
            {
                var dropped = HeaderSafe(string.Join(", ", reading.DroppedTools));
                context.Response.Headers[DroppedToolsHeader] = dropped;
                ResponsesLog.DroppedTools(logger, context.TraceIdentifier, dropped);
            }
            var echo = ResponsesEcho.From(wire, ResponsesEcho.NewId("resp"), reading.Request.Model);
            var renderer = new ResponsesExchangeRenderer(echo, reading.Request,
                echo.Store ? (json, conversation) => store.Add(echo.Id, json, conversation) : null);
            await exchange.RunAsync(context, reading.Request, renderer);
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, OpenAIErrorRenderer.Instance);
        }
    }

    public static async Task GetAsync(HttpContext context, string id, ResponsesStore store)
    {
        if (store.Get(id) is not { } json)
        {
            await ErrorResponses.WriteAsync(context, NotFound(id), OpenAIErrorRenderer.Instance);
            return;
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    public static async Task DeleteAsync(HttpContext context, string id, ResponsesStore store)
    {
        if (!store.Delete(id))
        {
            await ErrorResponses.WriteAsync(context, NotFound(id), OpenAIErrorRenderer.Instance);
            return;
        }
        var json = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "response.deleted");
            w.WriteBoolean("deleted", true);
            w.WriteEndObject();
        });
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>
    /// Codex's remote compaction (<c>/responses/compact</c>) is only used with a provider named "OpenAI"; anything else
    /// compacts through an ordinary request, which works here. Answered honestly rather than with an empty 404.
    /// </summary>
    public static Task CompactAsync(HttpContext context) => ErrorResponses.WriteAsync(context, new ChatBackendException(ChatErrorKind.NotFound,
        "acptoapi does not serve /v1/responses/compact. Codex: give the model provider any name but \"OpenAI\" and it compacts with an ordinary request.")
    {
        Code = "unsupported_endpoint",
    }, OpenAIErrorRenderer.Instance);

    private static ChatBackendException NotFound(string id) => new(ChatErrorKind.NotFound,
        $"No response with id '{id}' is stored here (responses are kept in memory for a limited time, and only when store is not false).")
    {
        Code = "response_not_found",
        Param = "response_id",
    };
}

internal static partial class ResponsesLog
{
    [LoggerMessage(20, LogLevel.Information, "{RequestId} responses: dropped tools no backend can run: {Tools}")]
    public static partial void DroppedTools(ILogger logger, string requestId, string tools);
}
