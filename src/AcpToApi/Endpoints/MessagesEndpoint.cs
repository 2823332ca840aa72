using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Hosting;
using AcpToApi.Protocols.Anthropic;

namespace AcpToApi.Endpoints;

/// <summary>POST /v1/messages and /v1/messages/count_tokens (Anthropic Messages API).</summary>
internal static class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context, ChatExchange exchange, ServerOptions options)
    {
        try
        {
            var wire = await RequestJson.ReadAsync(context, AnthropicJsonContext.Default.AnthropicMessagesRequest);
            var request = AnthropicRequestReader.Read(wire);
            var clientModel = request.Model;
            await exchange.RunAsync(context, request with { Model = RouteBareClaudeName(clientModel, options) }, new AnthropicExchangeRenderer(clientModel));
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, AnthropicErrorRenderer.Instance);
        }
    }

    public static async Task CountTokensAsync(HttpContext context, InputTokenCount tokens)
    {
        try
        {
            var wire = await RequestJson.ReadAsync(context, AnthropicJsonContext.Default.AnthropicMessagesRequest);
            var request = AnthropicRequestReader.Read(wire);
            var count = new AnthropicCountTokensResponse { InputTokens = await tokens.CountAsync(context, request) };
            await Results.Json(count, AnthropicJsonContext.Default.AnthropicCountTokensResponse).ExecuteAsync(context);
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error, AnthropicErrorRenderer.Instance);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; the count stopped with it.
        }
    }

    /// <summary>Anthropic clients send bare names like claude-sonnet-4-5 by default; those go to the configured backend.</summary>
    public static string RouteBareClaudeName(string model, ServerOptions options) =>
        !model.Contains('/') && model.StartsWith("claude-", StringComparison.OrdinalIgnoreCase)
            ? options.AnthropicModelBackend + "/" + model
            : model;
}
