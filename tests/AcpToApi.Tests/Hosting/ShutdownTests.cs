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
            foreach (var ingress in new[] { "/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1beta" })
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
        var (path, body) = Request(ingress, model, stream);

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var sent = Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        string text;
        if (stream)
        {
            using var response = await sent;
            await using var content = await response.Content.ReadAsStreamAsync(Ct);
            var seen = new StringBuilder();
            await ReadUntilAsync(content, seen, "first");
            var stopping = Gateway.DisposeAsync().AsTask();
            await ReadUntilAsync(content, seen, null);
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
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("response.completed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
    }

    /// <summary>Reads until <paramref name="until"/> has arrived, or to the end of the body when it is null.</summary>
    private static async Task ReadUntilAsync(Stream content, StringBuilder seen, string? until)
    {
        var buffer = new byte[4096];
        while (until is null || !seen.ToString().Contains(until, StringComparison.Ordinal))
        {
            var read = await content.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                Assert.Null(until);
                return;
            }
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    private static (string Path, string Body) Request(string ingress, string model, bool stream)
    {
        var s = stream ? "true" : "false";
        return ingress switch
        {
            "/v1/chat/completions" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"messages":[{"role":"user","content":"hi"}]}"""),
            "/v1/messages" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"max_tokens":50,"messages":[{"role":"user","content":"hi"}]}"""),
            "/v1/responses" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"input":"hi"}"""),
            _ => ($"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent"),
                """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"""),
        };
    }
}
