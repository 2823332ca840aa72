using System.Diagnostics.Metrics;
using System.Globalization;
using AcpToApi.Streaming;

namespace AcpToApi.Metrics;

/// <summary>
/// The gateway's instruments, one set per app: the meter comes from the app's own <see cref="IMeterFactory"/>, and
/// the Prometheus exporter listens only to meters of that factory (see <see cref="MetricsExport"/>), so two gateways
/// in one process never count each other's requests. One observation per chat exchange, labelled by protocol,
/// backend and outcome; /metrics shows them with Prometheus names (<c>acptoapi.requests</c> → <c>acptoapi_requests_total</c>).
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "AcpToApi";

    // Exponential buckets as before: 1 ms … 131 s for durations, 0.5 ms … 65 s for the first byte.
    private static readonly double[] DurationBuckets = Buckets(0.001, 18);
    private static readonly double[] FirstByteBuckets = Buckets(0.0005, 18);

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstByte;
    private readonly Counter<long> _tokens;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _clientDisconnects;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("acptoapi.requests",
            description: "Chat requests answered, by protocol, backend, HTTP status and streaming.");
        _duration = meter.CreateHistogram("acptoapi.request.duration", "s", "Time from request to the end of the response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _timeToFirstByte = meter.CreateHistogram("acptoapi.time_to_first_byte", "s", "Time from request to the first frame (streaming) or the whole body.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstByteBuckets });
        _tokens = meter.CreateCounter<long>("acptoapi.tokens", description: "Tokens reported by backends, by direction (input, output).");
        _active = meter.CreateUpDownCounter<long>("acptoapi.active_requests", description: "Chat requests in progress.");
        _clientDisconnects = meter.CreateCounter<long>("acptoapi.client_disconnects", description: "Exchanges ended because the client went away.");
    }

    public void ExchangeStarted(string protocol) => _active.Add(1, new KeyValuePair<string, object?>("protocol", protocol));

    /// <summary>Records a finished exchange; <paramref name="ttfbMs"/> is NaN when nothing was sent.</summary>
    public void ExchangeEnded(string protocol, string backend, int status, bool stream, double ttfbMs, double seconds, ChatUsage? usage, string outcome)
    {
        _active.Add(-1, new KeyValuePair<string, object?>("protocol", protocol));
        _requests.Add(1,
            new("protocol", protocol), new("backend", backend),
            new("status", status.ToString(CultureInfo.InvariantCulture)), new("stream", stream ? "true" : "false"));
        _duration.Record(seconds, new("protocol", protocol), new("backend", backend));
        if (!double.IsNaN(ttfbMs))
        {
            _timeToFirstByte.Record(ttfbMs / 1000, new("protocol", protocol), new("backend", backend));
        }
        if (usage is not null)
        {
            _tokens.Add(usage.InputTokens, new("backend", backend), new("direction", "input"));
            _tokens.Add(usage.OutputTokens, new("backend", backend), new("direction", "output"));
        }
        if (outcome == "client_disconnected")
        {
            _clientDisconnects.Add(1, new KeyValuePair<string, object?>("backend", backend));
        }
    }

    private static double[] Buckets(double start, int count) => [.. Enumerable.Range(0, count).Select(i => start * Math.Pow(2, i))];
}
