using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.Conversation;
using AcpToApi.Endpoints;
using AcpToApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.Endpoints;

/// <summary>
/// Counting tokens is bounded work off the socket threads: a mebibyte-long single word is counted (Anthropic and Gemini),
/// /health answers while a count is in progress, and a client that leaves stops its count.
/// </summary>
public sealed class TokenCountingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string OneWord => new('a', 1 << 20);

    [Fact]
    public async Task AMebibyteSingleWordIsCountedOnBothCountEndpoints()
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = server.CreateHttpClient();

        using var anthropic = await http.PostAsync("/v1/messages/count_tokens", Json(
            $$"""{"model":"echo/a","messages":[{"role":"user","content":"{{OneWord}}"}]}"""), Ct);
        using var gemini = await http.PostAsync("/v1beta/models/echo/a:countTokens", Json(
            $$"""{"contents":[{"role":"user","parts":[{"text":"{{OneWord}}"}]}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, anthropic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gemini.StatusCode);
        var anthropicCount = JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("input_tokens").GetInt32();
        var geminiCount = JsonDocument.Parse(await gemini.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("totalTokens").GetInt32();
        // A run of one letter packs into a few characters per token; never more tokens than characters.
        Assert.InRange(anthropicCount, (1 << 20) / 64, 1 << 20);
        Assert.Equal(anthropicCount, geminiCount);
    }

    [Fact]
    public async Task HealthAnswersWhileACountIsInProgressAndTheCountThenAnswers()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GatewayServer.StartAsync(services: s => s.AddSingleton(new InputTokenCount((_, _) =>
        {
            entered.TrySetResult();
            release.Task.Wait(Ct); // holds a thread, as a long count does
            return 42;
        })));
        using var http = server.CreateHttpClient();

        var count = http.PostAsync("/v1/messages/count_tokens", Json("""{"model":"echo/a","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        await entered.Task.WaitAsync(Ct);
        using var health = await http.GetAsync("/health", Ct);
        var countFinishedBeforeHealth = count.IsCompleted;
        release.SetResult();
        using var counted = await count;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(countFinishedBeforeHealth);
        Assert.Equal("""{"input_tokens":42}""", await counted.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AClientThatLeavesStopsItsCount()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GatewayServer.StartAsync(services: s => s.AddSingleton(new InputTokenCount((request, cancellationToken) =>
        {
            entered.TrySetResult();
            // The real counter checks its token between pieces; this one waits for it (or the test's end).
            WaitHandle.WaitAny([cancellationToken.WaitHandle, Ct.WaitHandle]);
            if (cancellationToken.IsCancellationRequested)
            {
                stopped.TrySetResult();
            }
            cancellationToken.ThrowIfCancellationRequested();
            return 1;
        })));
        using var http = server.CreateHttpClient();
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var count = http.PostAsync("/v1/messages/count_tokens", Json("""{"model":"echo/a","messages":[{"role":"user","content":"hi"}]}"""), leave.Token);
        await entered.Task.WaitAsync(Ct);
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => count);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public void TheRealCounterStopsOnItsTokenAndCountsPiecesLikeTheWhole()
    {
        var request = new ChatRequest { Model = "echo/a", Messages = [new ChatMessage(ChatRole.User, [new TextPart(OneWord)])] };

        Assert.Throws<OperationCanceledException>(() => AcpToApi.Tokens.TokenCounter.CountInput(request, new CancellationToken(canceled: true)));
        // Ordinary prose is cut only between words, so the piecewise count is the tokenizer's own.
        var prose = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 2000));
        Assert.Equal(Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("cl100k_base").CountTokens(prose), AcpToApi.Tokens.TokenCounter.Count(prose, Ct));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
