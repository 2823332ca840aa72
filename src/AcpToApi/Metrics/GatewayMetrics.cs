using Prometheus;

namespace AcpToApi.Metrics;

/// <summary>Prometheus metrics for /metrics: one observation per chat exchange, labelled by protocol, backend and outcome.</summary>
public static class GatewayMetrics
{
    private static readonly string[] ExchangeLabels = ["protocol", "backend", "status", "stream"];

    public static readonly Counter Requests = Prometheus.Metrics.CreateCounter(
        "acptoapi_requests_total", "Chat requests answered, by protocol, backend, HTTP status and streaming.",
        new CounterConfiguration { LabelNames = ExchangeLabels });

    public static readonly Histogram Duration = Prometheus.Metrics.CreateHistogram(
        "acptoapi_request_duration_seconds", "Time from request to the end of the response.",
        new HistogramConfiguration { LabelNames = ["protocol", "backend"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });

    public static readonly Histogram TimeToFirstByte = Prometheus.Metrics.CreateHistogram(
        "acptoapi_time_to_first_byte_seconds", "Time from request to the first frame (streaming) or the whole body.",
        new HistogramConfiguration { LabelNames = ["protocol", "backend"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });

    public static readonly Counter Tokens = Prometheus.Metrics.CreateCounter(
        "acptoapi_tokens_total", "Tokens reported by backends, by direction (input, output).",
        new CounterConfiguration { LabelNames = ["backend", "direction"] });

    public static readonly Gauge ActiveExchanges = Prometheus.Metrics.CreateGauge(
        "acptoapi_active_requests", "Chat requests in progress.", new GaugeConfiguration { LabelNames = ["protocol"] });

    public static readonly Counter ClientDisconnects = Prometheus.Metrics.CreateCounter(
        "acptoapi_client_disconnects_total", "Exchanges ended because the client went away.", new CounterConfiguration { LabelNames = ["backend"] });
}
