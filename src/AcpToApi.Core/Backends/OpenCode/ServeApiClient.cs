using System.Net.Http.Headers;
using System.Text.Json;
using AcpToApi.Protocols;

namespace AcpToApi.Backends.OpenCode;

/// <summary>The plain HTTP calls of the serve API (everything except the event stream).</summary>
internal sealed class ServeApiClient(HttpClient http, ServeApiOptions options)
{
    private static readonly TimeSpan ShortCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the daemon's MCP client waits for one answer (or progress notification) from the gateway.</summary>
    private const int McpRequestTimeoutMs = 60_000;

    /// <summary>A daemon's first provider listing loads its provider plugins and can take seconds on a cold start.</summary>
    private static readonly TimeSpan ProvidersTimeout = TimeSpan.FromSeconds(30);

    public Uri BaseUrl => options.BaseUrl;

    /// <summary><c>GET /global/health</c>: the daemon's version when healthy; throws when unreachable.</summary>
    public async Task<string?> GetHealthAsync(CancellationToken cancellationToken)
    {
        using var root = await GetJsonAsync("global/health", ShortCallTimeout, cancellationToken).ConfigureAwait(false);
        var element = root.RootElement;
        if (element.TryGetProperty("healthy", out var healthy) && healthy.ValueKind == JsonValueKind.True)
        {
            return element.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : "";
        }
        return null;
    }

    /// <summary><c>GET /config/providers</c> plus the configured default model from <c>GET /config</c>.</summary>
    public async Task<ServeModelCatalog> GetModelCatalogAsync(CancellationToken cancellationToken)
    {
        using var providers = await GetJsonAsync("config/providers", ProvidersTimeout, cancellationToken).ConfigureAwait(false);
        string? configuredModel = null;
        try
        {
            using var config = await GetJsonAsync("config", ProvidersTimeout, cancellationToken).ConfigureAwait(false);
            if (config.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
            {
                configuredModel = model.GetString();
            }
        }
        catch (ChatBackendException)
        {
            // The provider defaults are enough.
        }
        return ServeModelCatalog.Parse(providers.RootElement, configuredModel);
    }

    /// <summary><c>POST /session {"title"}</c>; a title spares the daemon an extra LLM call to invent one.</summary>
    /// <remarks>
    /// Deliberately not cancelled by the client's leaving (only bounded in time): a request cut while the daemon creates
    /// the session would leave a session the gateway never learns of. The caller deletes it when the client has gone.
    /// </remarks>
    public async Task<string> CreateSessionAsync(string title)
    {
        using var timeout = new CancellationTokenSource(ProvidersTimeout);
        var cancellationToken = timeout.Token;
        var body = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("title", title);
            w.WriteEndObject();
        });
        using var response = await SendAsync(HttpMethod.Post, "session", body, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{options.DisplayName} created a session without an id.");
    }

    /// <summary><c>POST /session/{id}/prompt_async</c>: returns at once (204); the answer arrives as events.</summary>
    public async Task PromptAsync(string sessionId, byte[] body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"session/{Uri.EscapeDataString(sessionId)}/prompt_async", body, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /session/{id}/abort</c>. Never throws: it runs while a request is being torn down.</summary>
    public Task<bool> AbortAsync(string sessionId) => TryAsync(HttpMethod.Post, $"session/{Uri.EscapeDataString(sessionId)}/abort", null);

    /// <summary><c>DELETE /session/{id}</c>. Never throws.</summary>
    public Task<bool> DeleteSessionAsync(string sessionId) => TryAsync(HttpMethod.Delete, $"session/{Uri.EscapeDataString(sessionId)}", null);

    /// <summary>
    /// <c>POST /mcp {"name","config":{"type":"remote","url",…}}</c>: the daemon connects to the gateway's MCP server for
    /// one conversation's client tools (and lists them) before it answers. Throws when it could not connect.
    /// </summary>
    public async Task AddMcpServerAsync(string name, Uri url, CancellationToken cancellationToken)
    {
        var body = WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteStartObject("config");
            w.WriteString("type", "remote");
            w.WriteString("url", url.ToString());
            w.WriteBoolean("oauth", false);
            // Per request (connect, list, each call) without progress; the gateway sends progress every 20 s while a call is parked.
            w.WriteNumber("timeout", McpRequestTimeoutMs);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        using var response = await SendAsync(HttpMethod.Post, "mcp", body, cancellationToken).ConfigureAwait(false);
        await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty(name, out var status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("status", out var state) || state.GetString() != "connected")
        {
            var error = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("error", out var e) ? e.GetString() : null;
            throw new ChatBackendException(ChatErrorKind.UpstreamError,
                $"{options.DisplayName} could not connect to the gateway's MCP server for the client's tools at {url.GetLeftPart(UriPartial.Authority)}: "
                + (error ?? (status.ValueKind == JsonValueKind.Object ? status.GetRawText() : "no status")));
        }
    }

    /// <summary><c>POST /mcp/{name}/disconnect</c> (the serve API has no way to remove a server). Never throws.</summary>
    public Task<bool> DisconnectMcpServerAsync(string name) => TryAsync(HttpMethod.Post, $"mcp/{Uri.EscapeDataString(name)}/disconnect", null);

    /// <summary><c>POST /permission/{id}/reply {"reply"}</c>. Never throws.</summary>
    public Task<bool> ReplyPermissionAsync(string permissionId, string reply) =>
        TryAsync(HttpMethod.Post, $"permission/{Uri.EscapeDataString(permissionId)}/reply", WireJson.ToBytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("reply", reply);
            w.WriteEndObject();
        }));

    /// <summary>Opens <c>GET /event</c> (headers only; the body is the SSE stream).</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, UpstreamHttp.Combine(options.BaseUrl, "event"));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await UpstreamHttp.SendAsync(http, message, options.DisplayName, cancellationToken).ConfigureAwait(false);
        try
        {
            await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, timeout.Token).ConfigureAwait(false);
            await UpstreamHttp.ThrowIfFailedAsync(response, options.DisplayName, timeout.Token).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false),
                cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatBackendException(ChatErrorKind.Unavailable, $"{options.DisplayName} did not answer GET /{path} at {options.BaseUrl} within {limit.TotalSeconds:0} s.");
        }
        catch (JsonException e)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError, $"{options.DisplayName} answered GET /{path} with invalid JSON: {e.Message}", e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, UpstreamHttp.Combine(options.BaseUrl, path));
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return await UpstreamHttp.SendAsync(http, message, options.DisplayName, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> TryAsync(HttpMethod method, string path, byte[]? body)
    {
        using var timeout = new CancellationTokenSource(ShortCallTimeout);
        try
        {
            using var response = await SendAsync(method, path, body, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is ChatBackendException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
