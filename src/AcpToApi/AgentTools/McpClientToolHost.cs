using System.Collections.Concurrent;
using System.Security.Cryptography;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AcpToApi.AgentTools;

/// <summary>
/// The gateway's own MCP server for client tools, at <c>/mcp/{token}</c> on the address it listens on. Each endpoint's
/// token is 128 random bits: the URL is the capability, so the route needs no API key, and an unknown token is a 404.
/// </summary>
internal sealed class McpClientToolHost(IServer server) : IClientToolHost
{
    public const string RoutePrefix = "/mcp/";

    private readonly ConcurrentDictionary<string, ClientToolEndpoint> _endpoints = new(StringComparer.Ordinal);
    private Uri? _baseUrl;

    public int OpenEndpoints => _endpoints.Count;

    public ClientToolEndpoint Open(IReadOnlyList<ToolDefinition> tools)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var endpoint = new ClientToolEndpoint(new Uri(BaseUrl, RoutePrefix.TrimStart('/') + token), tools, closed => _endpoints.TryRemove(token, out _));
        _endpoints[token] = endpoint;
        return endpoint;
    }

    public ClientToolEndpoint? Find(string token) => _endpoints.TryGetValue(token, out var endpoint) ? endpoint : null;

    /// <summary>Where the agents reach this server: the first bound address, with a wildcard host replaced by loopback.</summary>
    private Uri BaseUrl => _baseUrl ??= Resolve();

    private Uri Resolve()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server is not listening yet");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }
        uri.Path = "/";
        return uri.Uri;
    }
}
