using System.Buffers;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Conversation;
using AcpToApi.Hosting;
using AcpToApi.Protocols;
using AcpToApi.Protocols.Anthropic;
using AcpToApi.Protocols.OpenAI;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.Endpoints;

/// <summary>
/// /debug/providers (live probe of every backend), /debug/config (the active settings, secrets redacted)
/// and /debug/translate (a request's neutral form and the backend's raw event stream).
/// </summary>
internal static class DebugEndpoints
{
    public static async Task ProvidersAsync(HttpContext context, BackendRouter router)
    {
        var registrations = router.Registrations.OrderBy(r => r.Prefix, StringComparer.Ordinal).ToList();
        var probes = await Task.WhenAll(registrations.Select(r => LiveProbeAsync(r, context.RequestAborted)));
        context.Response.ContentType = "application/json";
        await using var w = WireJson.CreateWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteStartArray("providers");
        foreach (var (registration, (status, models)) in registrations.Zip(probes))
        {
            w.WriteStartObject();
            w.WriteString("prefix", registration.Prefix);
            w.WriteString("description", registration.Description);
            w.WriteString("target", status.Target);
            w.WriteBoolean("configured", status.Configured);
            w.WriteBoolean("reachable", status.Reachable);
            if (status.Detail is null) w.WriteNull("detail"); else w.WriteString("detail", status.Detail);
            if (status.LatencyMs is { } latency) w.WriteNumber("latency_ms", Math.Round(latency, 1)); else w.WriteNull("latency_ms");
            w.WriteStartArray("models");
            foreach (var model in models) w.WriteStringValue(registration.Prefix + "/" + model);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static async Task ConfigAsync(HttpContext context, GatewaySettings settings)
    {
        context.Response.ContentType = "application/json";
        await using var w = WireJson.CreateWriter(context.Response.BodyWriter);
        ConfigRedaction.Write(w, settings);
    }

    /// <summary>POST an OpenAI body (or an Anthropic one with ?from=anthropic): SSE of the neutral request, its route and every event.</summary>
    public static async Task TranslateAsync(HttpContext context, BackendRouter router, ServerOptions options, ChatExchange exchange)
    {
        try
        {
            var request = context.Request.Query["from"] == "anthropic"
                ? AnthropicRequestReader.Read(await RequestJson.ReadAsync(context, AnthropicJsonContext.Default.AnthropicMessagesRequest))
                : OpenAIRequestReader.Read(await RequestJson.ReadAsync(context, OpenAIJsonContext.Default.OpenAIChatRequest));
            request = request with { Model = MessagesEndpoint.RouteBareClaudeName(request.Model, options), Stream = true };
            await exchange.RunAsync(context, request, new DebugExchangeRenderer(request, router.Route(request.Model)));
        }
        catch (ChatBackendException error) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error);
        }
    }

    private static async Task<(BackendStatus, IReadOnlyList<string>)> LiveProbeAsync(BackendRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.Probe is not { } probe)
        {
            return (BackendStatus.Reached("-", "no probe"), []);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var status = await probe.ProbeAsync(timeout.Token);
            var models = probe.IsConfigured ? await probe.ListModelsAsync(timeout.Token) : [];
            return (status, models);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            return (BackendStatus.Failed(probe.IsConfigured, probe.Target, e is OperationCanceledException ? "probe timed out" : e.Message), []);
        }
    }
}
