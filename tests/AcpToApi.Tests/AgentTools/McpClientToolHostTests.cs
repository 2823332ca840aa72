using System.Net;
using System.Text.Json;
using AcpToApi.AgentTools;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AcpToApi.Tests.AgentTools;

/// <summary>The gateway's MCP server for client tools, judged by the official MCP C# client over real HTTP.</summary>
public sealed class McpClientToolHostTests : IAsyncLifetime
{
    private static readonly ToolDefinition Weather = new("get_weather", "Weather for a city",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","description":"City"}},"required":["city"]}""").RootElement);

    private GatewayServer _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private McpClientToolHost Host => _gateway.Services.GetRequiredService<McpClientToolHost>();

    public async ValueTask InitializeAsync() => _gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "client-key" });

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private static Task<McpClient> ConnectAsync(Uri url) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp }), cancellationToken: Ct);

    [Fact]
    public async Task AnAgentListsTheClientsToolsWithTheirSchemasAndItsCallWaitsForTheClientsResult()
    {
        await using var endpoint = Host.Open([Weather]);
        await using var agent = await ConnectAsync(endpoint.Url);

        var tools = await agent.ListToolsAsync(cancellationToken: Ct);
        var tool = Assert.Single(tools);
        Assert.Equal(("get_weather", "Weather for a city"), (tool.Name, tool.Description));
        Assert.Equal(Weather.Parameters!.Value.GetRawText(), tool.JsonSchema.GetRawText());

        var calling = agent.CallToolAsync("get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" }, cancellationToken: Ct).AsTask();
        var call = await endpoint.Calls.ReadAsync(Ct);
        Assert.Equal(("get_weather", """{"city":"Oslo"}"""), (call.ToolName, call.ArgumentsJson));
        Assert.False(calling.IsCompleted); // parked: the agent waits for the client

        Assert.True(call.Complete(new ClientToolResult("rain, 4 C")));
        var result = await calling;
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("rain, 4 C", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task ClosingTheConversationAnswersItsOpenCallsAsErrorsAndForgetsItsUrl()
    {
        var endpoint = Host.Open([Weather]);
        await using var agent = await ConnectAsync(endpoint.Url);
        var calling = agent.CallToolAsync("get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" }, cancellationToken: Ct).AsTask();
        await endpoint.Calls.ReadAsync(Ct);

        await endpoint.DisposeAsync();

        var result = await calling;
        Assert.True(result.IsError);
        Assert.Equal(0, Host.OpenEndpoints);
        using var http = new HttpClient();
        using var gone = await http.PostAsync(endpoint.Url, new StringContent("{}"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AnUnknownToolIsAnErrorResultNotAHang()
    {
        await using var endpoint = Host.Open([Weather]);
        await using var agent = await ConnectAsync(endpoint.Url);

        var result = await agent.CallToolAsync("rm_rf", cancellationToken: Ct);

        Assert.True(result.IsError);
    }
}
