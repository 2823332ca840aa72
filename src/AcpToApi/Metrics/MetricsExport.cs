using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace AcpToApi.Metrics;

/// <summary>
/// /metrics through the OpenTelemetry Prometheus exporter, scoped to one app. The exporter is not told which meters
/// to read (no <c>AddMeter</c>: the SDK's own listener would take every meter of that name in the process); instead
/// the app's metrics builder enables the gateway's meter for the "OpenTelemetry" listener with
/// <see cref="MeterScope.Local"/>, which matches only meters made by this app's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>.
/// The runtime's own meter (GC, memory, CPU: process-wide by nature) is enabled globally.
/// </summary>
internal static class MetricsExport
{
    private const string OpenTelemetryListener = "OpenTelemetry";
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// Points kept per runtime instrument: their tags are a GC generation or none. The SDK allocates every metric
    /// stream's points up front (2,000 by default, ~150 KB each), so the runtime meter's 19 instruments alone held
    /// 2.9 MB of an idle server's memory. The gateway's own instruments keep the default: their label sets
    /// (protocol, backend, status, outcome) are many more.
    /// </summary>
    private const int RuntimeCardinalityLimit = 16;

    public static void AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddMetrics(metrics => metrics
            .EnableMetrics(GatewayMetrics.MeterName, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local)
            .EnableMetrics(RuntimeMeter, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Global));
        services.AddOpenTelemetry().WithMetrics(otel => otel
            .AddView(instrument => instrument.Meter.Name == RuntimeMeter ? new MetricStreamConfiguration { CardinalityLimit = RuntimeCardinalityLimit } : null)
            .AddPrometheusExporter(prometheus =>
            {
                // Every scrape sees the counts as they are now (the default reuses a response for 300 ms).
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
    }

    public static void MapGatewayMetrics(this IEndpointRouteBuilder endpoints, string path) => endpoints.MapPrometheusScrapingEndpoint(path);
}
