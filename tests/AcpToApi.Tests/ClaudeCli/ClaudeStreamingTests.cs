using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI.Chat;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>The real Claude Code CLI through the gateway, judged by the official OpenAI .NET SDK and raw SSE.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeStreamingTests
{
    [Fact]
    public async Task TextStreamsTokenByTokenAndReachesTheClientWhileTheUpstreamHoldsItsNextToken()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        string[] tokens = ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "dog"];
        bed.Fake.Enqueue(new FakeScript { Tokens = tokens, HoldAfterTokens = 3, OutputTokens = 8, InputTokens = 21 });

        var (deltas, usage, finish, _) = await StreamedChat.CollectAsync(
            bed.Client().CompleteChatStreamingAsync([new UserChatMessage("tell me about the fox")], new ChatCompletionOptions(), TestContext.Current.CancellationToken),
            heldAfter: 3, bed.UpstreamMessageAsync);

        Assert.Equal(tokens, deltas); // one frame per upstream token, nothing merged or buffered
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(8, usage.OutputTokenCount);
        Assert.Equal(21, usage.InputTokenCount);
    }

    [Fact]
    public async Task ThinkingArrivesAsReasoningContentBeforeTheAnswer()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Reasoning = ["thinking ", "about ", "pong"], Tokens = ["po", "ng"] });
        using var http = bed.Server.CreateHttpClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "claude/sonnet",
            stream = true,
            messages = new[] { new { role = "user", content = "ping" } },
        }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reasoning = new List<string>();
        var content = new StringBuilder();
        var order = new List<string>();
        foreach (var data in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(f => f["data: ".Length..]).Where(d => d != "[DONE]"))
        {
            using var chunk = JsonDocument.Parse(data);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                var delta = choice.GetProperty("delta");
                if (delta.TryGetProperty("reasoning_content", out var r) && r.GetString() is { Length: > 0 } text)
                {
                    reasoning.Add(text);
                    order.Add("reasoning");
                }
                if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } answer)
                {
                    content.Append(answer);
                    order.Add("content");
                }
            }
        }
        Assert.Equal(["thinking ", "about ", "pong"], reasoning);
        Assert.Equal("pong", content.ToString());
        Assert.Equal("reasoning", order[0]);
        Assert.Equal("content", order[^1]);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task NonStreamingFoldsTheSameEvents()
    {
        await using var bed = await ClaudeTestBed.StartAsync();
        bed.Fake.Enqueue(new FakeScript { Tokens = ["Hello", " from", " fake"] });

        ChatCompletion completion = await bed.Client("claude/haiku").CompleteChatAsync([new UserChatMessage("hi")],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Hello from fake", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("claude/haiku", completion.Model);
    }
}
