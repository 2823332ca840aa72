using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Hosting;
using AcpToApi.Protocols;

namespace AcpToApi.Endpoints;

/// <summary>GET /health: 200 with each backend's status. Probes are cheap and cached; they never start work on a backend.</summary>
internal static class HealthEndpoint
{
    public static async Task HandleAsync(HttpContext context, BackendRouter router, BackendStatusCache cache)
    {
        var statuses = await Task.WhenAll(router.Registrations
            .OrderBy(r => r.Prefix, StringComparer.Ordinal)
            .Select(async r => (r, await cache.ProbeAsync(r, context.RequestAborted))));

        context.Response.ContentType = "application/json";
        await using var w = WireJson.CreateWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("status", "ok");
        w.WriteString("version", GatewayInfo.Version);
        w.WriteStartArray("backends");
        foreach (var (registration, status) in statuses)
        {
            w.WriteStartObject();
            w.WriteString("prefix", registration.Prefix);
            w.WriteString("description", registration.Description);
            w.WriteBoolean("configured", status.Configured);
            w.WriteBoolean("reachable", status.Reachable);
            w.WriteString("target", status.Target);
            if (status.Detail is null) w.WriteNull("detail"); else w.WriteString("detail", status.Detail);
            if (status.LatencyMs is { } latency) w.WriteNumber("latency_ms", Math.Round(latency, 1)); else w.WriteNull("latency_ms");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
