using AcpToApi.Bench.Fuzz;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Fuzz;

/// <summary>
/// A short fixed-seed run of the request fuzzer (bench/AcpToApi.Bench/Fuzz) over every ingress, against echo and the
/// openai/ and anthropic/ backends on the fake upstream: no 5xx beyond the 502/503/504 a backend fault explains, no
/// empty or non-JSON error body, every answer complete (a generous per-request bound stands for "no hang").
/// The long run is in bench/README.md.
/// </summary>
public sealed class FuzzTests : OpenAIAndAnthropicGatewayTest
{
    [Theory]
    [InlineData(12, 1000)]
    [InlineData(2026, 1000)]
    public async Task MutatedRequestsOnEveryIngressGetHonestAnswers(int seed, int count)
    {
        string[] models = ["echo/a", "echo/think+tool", "echo/fail-after=2", "openai/fake-model", "anthropic/fake-model"];

        var report = await FuzzRunner.RunAsync(Http, FuzzCases.Generate(seed, count, models), concurrency: 4, TimeSpan.FromSeconds(120), Ct);

        Assert.Equal(count, report.Requests);
        Assert.True(report.Faults == 0, report.ToString());
        Assert.True(report.ByStatus.GetValueOrDefault(200) > count / 20, report.ToString()); // well-formed requests still get answers
    }
}
