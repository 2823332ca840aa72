using System.Text;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Endpoints;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.DirectProviders;

/// <summary>
/// The fault matrix of the direct API backends (openai/, anthropic/, gemini/ on the fake upstream), each fault through
/// each ingress, streamed and not: an upstream error status becomes that protocol's error with the honest status; a
/// stall, an in-band upstream error, a frame that is not JSON and a reset connection end a started stream with the protocol's in-band error (a
/// 502/504 before the first byte), never as complete; a client that leaves before the headers or mid-stream ends the
/// upstream request. In every case the upstream request is over when the test ends (nothing left open).
/// </summary>
public sealed class FaultMatrixTests : FakeUpstreamGatewayTest
{
    private static readonly string[] Models = ["openai/gpt-test", "anthropic/claude-test", "gemini/gemini-test"];

    protected override Dictionary<string, string> Environment() => new(OpenAIUpstream.Environment(Fake))
    {
        ["ANTHROPIC_BASE_URL"] = FakeRoot,
        ["ANTHROPIC_API_KEY"] = "sk-ant-test",
        ["GEMINI_BASE_URL"] = FakeRoot,
        ["GEMINI_API_KEY"] = "AIza-test",
    };

    protected override Dictionary<string, string?> Settings() => new() { ["idleTimeoutSeconds"] = "5" };

    public static TheoryData<string, string, int, int> Statuses()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var model in Models)
        {
            foreach (var ingress in IngressRequest.All)
            {
                foreach (var (upstream, client) in new[] { (400, 400), (401, 401), (429, 429), (500, 502), (503, 503) })
                {
                    data.Add(ingress, model, upstream, client);
                }
            }
        }
        return data;
    }

    public static TheoryData<string, string, string, bool> MidAnswerFaults()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var model in Models)
        {
            foreach (var ingress in IngressRequest.All)
            {
                foreach (var fault in new[] { "error", "reset", "stall", "malformed" })
                {
                    data.Add(ingress, model, fault, true);
                    data.Add(ingress, model, fault, false);
                }
            }
        }
        return data;
    }

    public static TheoryData<string, string, bool> Aborts()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var model in Models)
        {
            foreach (var ingress in IngressRequest.All)
            {
                data.Add(ingress, model, true);
                data.Add(ingress, model, false);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task AnUpstreamErrorStatusIsTheProtocolsErrorWithAnHonestStatus(string ingress, string model, int upstream, int client)
    {
        Fake.Enqueue(new FakeScript { Status = upstream, ErrorMessage = "upstream says no", RetryAfterSeconds = upstream == 429 ? 3 : null });

        foreach (var stream in new[] { false, true })
        {
            using var request = IngressRequest.Create(ingress, model, stream);
            using var response = await Http.SendAsync(request, Ct);

            Assert.Equal(client, (int)response.StatusCode);
            Assert.Contains("upstream says no", ProtocolError.Message(ingress, await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
            if (upstream == 429)
            {
                Assert.Equal("3", response.Headers.RetryAfter?.ToString());
            }
            Fake.Enqueue(new FakeScript { Status = upstream, ErrorMessage = "upstream says no", RetryAfterSeconds = upstream == 429 ? 3 : null });
        }
        await AllUpstreamRequestsEndedAsync();
    }

    [Theory]
    [MemberData(nameof(MidAnswerFaults))]
    public async Task AFaultMidAnswerEndsItAsAnErrorNeverAsComplete(string ingress, string model, string fault, bool stream)
    {
        Fake.Enqueue(fault switch
        {
            "error" => new FakeScript { Tokens = ["first", " second"], ErrorAfterTokens = 1, ErrorMessage = "upstream broke" },
            "reset" => new FakeScript { Tokens = ["first", " second"], AbortAfterTokens = 1 },
            "malformed" => new FakeScript { Tokens = ["first", " second"], MalformedAfterTokens = 1 },
            _ => new FakeScript { Tokens = ["first", " second"], StallAfterTokens = 1 },
        });
        using var request = IngressRequest.Create(ingress, model, stream);
        var sending = Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        if (fault == "stall")
        {
            // The idle timeout runs on the app's clock: move it until the answer ends.
            await Fake.WaitForRequestAsync(_ => true, Eventually.Bound, Ct);
            await Clock.AdvanceUntilAsync(stream ? ReadAllAsync(sending) : sending, TimeSpan.FromSeconds(1), "the idle timeout");
        }
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(Ct);

        if (stream)
        {
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Contains("first", text, StringComparison.Ordinal);
            Assert.Contains("error", text, StringComparison.OrdinalIgnoreCase);
            Assert.All(IngressRequest.CompletionMarkers, marker => Assert.DoesNotContain(marker, text, StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(fault == "stall" ? 504 : 502, (int)response.StatusCode);
            Assert.False(string.IsNullOrEmpty(ProtocolError.Message(ingress, text)));
        }
        await AllUpstreamRequestsEndedAsync();
    }

    [Theory]
    [MemberData(nameof(Aborts))]
    public async Task AClientThatLeavesEndsTheUpstreamRequest(string ingress, string model, bool afterFirstToken)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["first", " second"], HoldAfterTokens = afterFirstToken ? 1 : 0 });
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var request = IngressRequest.Create(ingress, model, stream: true);

        var sending = Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var upstream = await Fake.WaitForRequestAsync(_ => true, Eventually.Bound, Ct);
        await Eventually.WaitAsync(upstream.Held, "the upstream holding its answer");
        if (afterFirstToken)
        {
            using var response = await sending;
            await using var content = await response.Content.ReadAsStreamAsync(Ct);
            await IngressRequest.ReadUntilAsync(content, new StringBuilder(), "first", Ct);
        }
        else
        {
            Assert.False(sending.IsCompleted); // no headers yet: nothing has been produced
        }
        await leave.CancelAsync();
        if (!afterFirstToken)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        await Eventually.WaitAsync(upstream.Completion, "the upstream request ending after the client left");
    }

    private async Task<string> ReadAllAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task AllUpstreamRequestsEndedAsync()
    {
        foreach (var upstream in Fake.Requests)
        {
            await Eventually.WaitAsync(upstream.Completion, $"upstream request {upstream.Sequence} ending");
        }
    }
}
