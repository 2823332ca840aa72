using System.Text.Json;
using AcpToApi.Backends.ClientTools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AcpToApi.AgentTools;

/// <summary>
/// The MCP handlers behind <c>/mcp/{token}</c> (stateless Streamable HTTP: every request is answered on its own, so
/// nothing is kept between an agent's requests). <c>tools/list</c> lists the endpoint's client tools with their schemas
/// unchanged; <c>tools/call</c> hands the call to the waiting backend and holds the HTTP request open until the client's
/// result arrives, sending progress notifications meanwhile so the agent's MCP client does not time out.
/// </summary>
internal static class McpClientToolServer
{
    public static void Map(WebApplication app, McpClientToolHost host)
    {
        // Before the MCP endpoint: a token that names no open conversation is a 404, whatever the request looks like.
        app.Use((context, next) =>
            context.Request.Path.StartsWithSegments("/mcp", out var rest) && host.Find(rest.Value?.Trim('/') ?? "") is null
                ? Results.NotFound().ExecuteAsync(context)
                : next(context));
        app.MapMcp(McpClientToolHost.RoutePrefix + "{token}");
    }

    public static void Configure(IServiceCollection services, TimeSpan progressInterval) =>
        services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "acptoapi-client-tools", Version = GatewayVersion() })
            .WithHttpTransport(transport =>
            {
                transport.Stateless = true;
                transport.ConfigureSessionOptions = (http, options, _) =>
                {
                    var host = http.RequestServices.GetRequiredService<McpClientToolHost>();
                    var endpoint = http.GetRouteValue("token") is string token ? host.Find(token) : null;
                    options.Capabilities = new ServerCapabilities { Tools = new ToolsCapability() };
                    options.Handlers.ListToolsHandler = (request, cancellationToken) => ValueTask.FromResult(ListTools(endpoint));
                    var time = http.RequestServices.GetRequiredService<TimeProvider>();
                    options.Handlers.CallToolHandler = (request, cancellationToken) => CallToolAsync(endpoint, request, progressInterval, time, cancellationToken);
                    return Task.CompletedTask;
                };
            });

    private static ListToolsResult ListTools(ClientToolEndpoint? endpoint) => new()
    {
        Tools = [.. (endpoint?.Tools ?? []).Select(tool => new Tool
        {
            Name = ClientToolNames.ForAgent(tool.Name),
            Description = tool.Description,
            InputSchema = tool.Parameters is { ValueKind: JsonValueKind.Object } schema ? schema : EmptySchema,
            // The gateway never runs the tool: for the agent it is safe to call several at once (Claude Code then
            // sends parallel calls together instead of one after another).
            Annotations = new ToolAnnotations { ReadOnlyHint = true },
        })],
    };

    private static async ValueTask<CallToolResult> CallToolAsync(ClientToolEndpoint? endpoint, RequestContext<CallToolRequestParams> request,
        TimeSpan progressInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name ?? "";
        if (endpoint?.Find(name) is not { } tool)
        {
            return Error($"Unknown tool '{name}'.");
        }
        var arguments = request.Params?.Arguments is { } args ? JsonSerializer.Serialize(args, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, JsonElement>))) : "{}";
        // Claude Code names the model's tool_use id, so each call can be matched to the block the client saw.
        var callId = request.Params?.Meta is { } meta && meta.TryGetPropertyValue("claudecode/toolUseId", out var id) && id is not null
            ? id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null
            : null;
        var call = new ClientToolCall(tool.Name, arguments, callId, cancellationToken);
        if (!endpoint.Accept(call))
        {
            return Error("The conversation this tool belonged to has ended.");
        }
        var progressToken = request.Params?.ProgressToken;
        var ticks = 0;
        while (true)
        {
            var finished = await Task.WhenAny(call.Result, Task.Delay(progressInterval, time, cancellationToken)).ConfigureAwait(false);
            if (finished == call.Result)
            {
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (progressToken is { } token)
            {
                // Each progress notification restarts the agent's MCP request timeout: the call may wait as long as the client takes.
                await request.Server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = ++ticks, Message = "waiting for the client's tool result" },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        if (call.Result.IsCanceled)
        {
            return Error("The client did not return a result for this tool call.");
        }
        var result = await call.Result.ConfigureAwait(false);
        return new CallToolResult { Content = [new TextContentBlock { Text = result.Text }], IsError = result.IsError };
    }

    private static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    private static string GatewayVersion() => typeof(McpClientToolServer).Assembly.GetName().Version?.ToString(3) ?? "0";
}
