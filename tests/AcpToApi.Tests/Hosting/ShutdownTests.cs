using System.Text;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Endpoints;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// Shutdown with answers in flight on the direct API backends: the upstream holds its answer open, the gateway is
/// stopped, and every client — on each ingress, streaming or not — gets its protocol's "shutting down" error (in band once
/// the stream had begun, a 503 before that) instead of a reset after the shutdown timeout; the upstream request is ended.
/// </summary>
public sealed class ShutdownTests : OpenAIAndAnthropicGatewayTest
{
    public static TheoryData<string, string, bool> Cases()
    {
        var cases = new TheoryData<string, string, bool>();
        foreach (var backend in new[] { "openai/gpt-test", "anthropic/claude-test" })
        {
            foreach (var ingress in IngressRequest.All)
            {
                cases.Add(ingress, backend, true);
                cases.Add(ingress, backend, false);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnAnswerInFlightEndsWithTheProtocolsShutdownError(string ingress, string model, bool stream)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["first", " second"], StallAfterTokens = 1 });
        using var request = IngressRequest.Create(ingress, model, stream);
        var sent = Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        string text;
        if (stream)
        {
            using var response = await sent;
            await using var content = await response.Content.ReadAsStreamAsync(Ct);
            var seen = new StringBuilder();
            await IngressRequest.ReadUntilAsync(content, seen, "first", Ct);
            var stopping = Gateway.DisposeAsync().AsTask();
            await IngressRequest.ReadUntilAsync(content, seen, null, Ct);
            await stopping;
            text = seen.ToString();
            Assert.Equal(200, (int)response.StatusCode);
        }
        else
        {
            await Fake.WaitForRequestAsync(_ => true, TimeSpan.FromSeconds(60), Ct);
            var stopping = Gateway.DisposeAsync().AsTask();
            using var response = await sent;
            text = await response.Content.ReadAsStringAsync(Ct);
            await stopping;
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Contains("shutting down", ProtocolError.Message(ingress, text), StringComparison.Ordinal);
        }
        Assert.Contains("shutting down", text, StringComparison.Ordinal);
        Assert.All(IngressRequest.CompletionMarkers, marker => Assert.DoesNotContain(marker, text, StringComparison.Ordinal));
    }
}
