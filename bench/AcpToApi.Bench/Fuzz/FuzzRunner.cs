using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace AcpToApi.Bench.Fuzz;

/// <summary>
/// Sends fuzz cases to a gateway, a few at a time, reads every answer to its end within a per-request bound, and judges
/// it: a 5xx other than 502/503/504 (or one the model asked for) is a fault, so is an error status with an empty body,
/// an error body that is not JSON, and an answer not finished within the bound (a hang).
/// </summary>
public static class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(HttpClient http, IEnumerable<FuzzCase> cases, int concurrency, TimeSpan perRequest,
        CancellationToken cancellationToken)
    {
        var report = new FuzzReport();
        var faults = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (fuzzCase, ct) =>
            {
                var (status, fault) = await SendAsync(http, fuzzCase, perRequest, ct);
                report.Count(status);
                if (fault is not null)
                {
                    report.Fault(fault);
                    faults.Enqueue($"#{fuzzCase.Number} {fault}: {fuzzCase.Recipe}");
                }
            });
        report.Examples.AddRange(faults.OrderBy(f => f, StringComparer.Ordinal).Take(20));
        return report;
    }

    private static async Task<(int Status, string? Fault)> SendAsync(HttpClient http, FuzzCase fuzzCase, TimeSpan perRequest, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(perRequest);
        using var content = new ByteArrayContent(fuzzCase.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.PostAsync(fuzzCase.Path, content, bound.Token);
            var body = await response.Content.ReadAsByteArrayAsync(bound.Token);
            var status = (int)response.StatusCode;
            if (status < 400)
            {
                return (status, null);
            }
            if (body.Length == 0)
            {
                return (status, $"HTTP {status} with an empty body");
            }
            if (!IsJson(body))
            {
                return (status, $"HTTP {status} with a body that is not JSON");
            }
            return status >= 500 && status is not (502 or 503 or 504) && !fuzzCase.AsksForFault ? (status, $"HTTP {status}") : (status, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (0, $"no complete answer within {perRequest.TotalSeconds:0} s (a hang)");
        }
        catch (HttpRequestException e)
        {
            return (0, $"connection failed: {e.Message}");
        }
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(body);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
