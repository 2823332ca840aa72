using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols.OpenAI;

namespace AcpToApi.Endpoints;

/// <summary>POST /v1/chat/completions.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ChatExchange exchange)
    {
        try
        {
            var wire = await RequestJson.ReadAsync(context, OpenAIJsonContext.Default.OpenAIChatRequest);
            var request = OpenAIRequestReader.Read(wire);
            var renderer = new OpenAIExchangeRenderer(request.Model, wire.StreamOptions?.IncludeUsage == true);
            await exchange.RunAsync(context, request, renderer);
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, OpenAIErrorRenderer.Instance);
        }
    }
}
