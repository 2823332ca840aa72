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
public static class DebugEndpoints
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

    /// <summary>POST an OpenAI body (or an Anthropic one with ?from=anthropic): SSE of the neutral request and every event.</summary>
    public static async Task TranslateAsync(HttpContext context, BackendRouter router, ServerOptions options)
    {
        ChatRequest request;
        try
        {
            request = context.Request.Query["from"] == "anthropic"
                ? AnthropicRequestReader.Read(await RequestJson.ReadAsync(context, AnthropicJsonContext.Default.AnthropicMessagesRequest))
                : OpenAIRequestReader.Read(await RequestJson.ReadAsync(context, OpenAIJsonContext.Default.OpenAIChatRequest));
        }
        catch (ChatBackendException error)
        {
            await ErrorResponses.WriteAsync(context, error);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = context.Response.BodyWriter;
        WriteFrame(output, "request", w => DebugJson.WriteRequest(w, request));
        await output.FlushAsync(context.RequestAborted);
        try
        {
            var routed = router.Route(MessagesEndpoint.RouteBareClaudeName(request.Model, options));
            WriteFrame(output, "route", w =>
            {
                w.WriteStartObject();
                w.WriteString("backend", routed.Registration.Prefix);
                w.WriteString("model", routed.BackendModel);
                w.WriteEndObject();
            });
            await foreach (var chatEvent in routed.Registration.Backend.StreamAsync(request with { Model = routed.BackendModel }, context.RequestAborted))
            {
                WriteFrame(output, chatEvent.GetType().Name, w => DebugJson.WriteEvent(w, chatEvent));
                await output.FlushAsync(context.RequestAborted);
            }
        }
        catch (ChatBackendException error)
        {
            WriteFrame(output, "error", w =>
            {
                w.WriteStartObject();
                w.WriteString("kind", error.Kind.ToString());
                w.WriteNumber("status", error.HttpStatus);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
            });
            await output.FlushAsync(context.RequestAborted);
        }
    }

    private static void WriteFrame(System.IO.Pipelines.PipeWriter output, string name, Action<Utf8JsonWriter> write)
    {
        output.Write(System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        output.Write(WireJson.ToBytes(write));
        output.Write("\n\n"u8);
    }

    private static async Task<(BackendStatus, IReadOnlyList<string>)> LiveProbeAsync(BackendRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.Probe is not { } probe)
        {
            return (new BackendStatus(true, true, "-", "no probe"), []);
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
            return (new BackendStatus(probe.IsConfigured, false, probe.Target, e is OperationCanceledException ? "probe timed out" : e.Message), []);
        }
    }
}
