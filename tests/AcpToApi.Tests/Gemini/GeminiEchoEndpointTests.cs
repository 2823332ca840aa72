using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;
using static AcpToApi.Tests.Gemini.GeminiHttp;

namespace AcpToApi.Tests.Gemini;

/// <summary>The Gemini endpoints over raw HTTP against the built-in echo backend (its delays on a fake clock): framings, path parsing, errors.</summary>
public sealed class GeminiEchoEndpointTests : IAsyncLifetime
{
    private readonly FakeClock _clock = new();
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync(settings: new() { ["maxBodyBytes"] = "65536" }, time: _clock);
        _http = _gateway.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task SseStreamsOneChunkPerWordThenFinishAndUsage()
    {
        using var response = await PostAsync(_http, "/v1beta/models/echo/hello:streamGenerateContent?alt=sse", UserText("hello streaming world"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", ContentType(response)?.MediaType);
        var chunks = await SseChunksAsync(response, Ct);
        Assert.Equal(["hello ", "streaming ", "world"], chunks.SkipLast(1).Select(c => Text([c])));
        var last = chunks[^1];
        Assert.Equal("STOP", FinishReason(last));
        Assert.Equal(3, last.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
        Assert.All(chunks, c => Assert.Equal("echo/hello", c.GetProperty("modelVersion").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("responseId").GetString()).Distinct());
        Assert.All(chunks, c => Assert.Equal("model", c.GetProperty("candidates")[0].GetProperty("content").GetProperty("role").GetString()));
    }

    [Fact]
    public async Task SseFramesUseCrLfLikeGoogle()
    {
        using var response = await PostAsync(_http, "/v1beta/models/echo/hello:streamGenerateContent?alt=sse", UserText("hi"), Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);

        Assert.StartsWith("data: {\"candidates\":", raw);
        Assert.EndsWith("}\r\n\r\n", raw);
        Assert.Equal(2, raw.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task WithoutAltSseTheStreamIsOneJsonArray()
    {
        using var response = await PostAsync(_http, "/v1beta/models/echo/hello:streamGenerateContent", UserText("a b c"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", ContentType(response)?.MediaType);
        var (raw, elements) = await ArrayChunksAsync(response, Ct);
        Assert.StartsWith("[{", raw);
        Assert.EndsWith("}]", raw);
        Assert.Equal(4, elements.Count);
        Assert.Equal("a b c", Text(elements));
        Assert.Equal("STOP", FinishReason(elements[^1]));
    }

    [Fact]
    public async Task JsonArrayElementsLeaveAsTheyAreMade()
    {
        var delay = TimeSpan.FromMilliseconds(300);
        var sending = PostAsync(_http, "/v1beta/models/echo/hello+delay=300:streamGenerateContent", UserText("one two three four"), Ct);
        await _clock.WaitForTimerAsync(delay, 1);
        _clock.Advance(delay); // echo makes its first word, then waits for the clock again
        using var response = await Eventually.WaitAsync(sending, "the array's first element reaching the client before the second word is made (is it buffered?)");
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);

        // The first element reaches the client while echo is provably still waiting to make the second word.
        var received = new StringBuilder();
        await ReadUntilAsync(stream, received, "}]", "the array's first element reaching the client before the second word is made (is it buffered?)");
        var first = received.ToString();
        Assert.StartsWith("[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"one \"}]", first);
        Assert.DoesNotContain("two", first);
        Assert.DoesNotContain("finishReason", first);

        for (var word = 2; word <= 4; word++)
        {
            await _clock.WaitForTimerAsync(delay, word);
            _clock.Advance(delay);
        }
        await ReadUntilAsync(stream, received, null, "the rest of the array");
        var elements = JsonDocument.Parse(received.ToString()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["one ", "two ", "three ", "four"], elements.Where(e => Text([e]).Length > 0).Select(e => Text([e]))); // one element per word
        Assert.Equal("STOP", FinishReason(elements[^1]));
    }

    [Fact]
    public async Task GenerateContentAnswersOneResponse()
    {
        using var response = await _http.PostAsync("/v1beta/models/echo/hello:generateContent", Json(UserText("hello there")), Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello there", Text([body]));
        Assert.Equal("STOP", FinishReason(body));
        var usage = body.GetProperty("usageMetadata");
        Assert.Equal(2, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt32() + 2, usage.GetProperty("totalTokenCount").GetInt32());
    }

    [Theory]
    [InlineData("/v1beta/models/echo%2Fhello:generateContent", "echo/hello")]
    [InlineData("/v1beta/models/echo%2fhello%3AgenerateContent", "echo/hello")]
    [InlineData("/v1beta/models/models%2Fecho%2Fhello:generateContent", "echo/hello")]
    [InlineData("/v1beta/models/models/echo/hello:generateContent", "echo/hello")]
    [InlineData("/v1beta/models/echo/org/name:v2:generateContent", "echo/org/name:v2")]
    [InlineData("/v1beta/models/echo/org%2Fname%3Av2:generateContent?key=ignored", "echo/org/name:v2")]
    public async Task ModelMayHoldEncodedSlashesAndColonsAndTheMethodIsAfterTheLastColon(string path, string model)
    {
        using var response = await _http.PostAsync(path, Json(UserText("ok")), Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(model, body.GetProperty("modelVersion").GetString());
        Assert.Equal("ok", Text([body]));
    }

    [Theory]
    [InlineData("/v1beta/models/echo/a:generateContent", "{\"contents\":", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"candidateCount\":2}}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/echo/a:streamGenerateContent?alt=sse", "{\"contents\":[{\"role\":\"system\",\"parts\":[{\"text\":\"x\"}]}]}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/nosuch/a:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/nosuch/a:streamGenerateContent?alt=sse", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/echo/a:predict", "{}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/echo/a", "{}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/:generateContent", "{}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/cachedContents", "{}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/tunedModels/x:generateContent", "{}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/echo/a:embedContent", "{\"content\":{\"parts\":[{\"text\":\"x\"}]}}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/echo/a:batchEmbedContents", "{}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/echo/a+error=429:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 429, "RESOURCE_EXHAUSTED")]
    [InlineData("/v1beta/models/echo/a+error=503:streamGenerateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 503, "UNAVAILABLE")]
    public async Task BadRequestsGetGeminiErrorsWithRealStatuses(string path, string body, int status, string googleStatus)
    {
        using var response = await _http.PostAsync(path, Json(body), Ct);

        await ErrorAsync(response, status, googleStatus, Ct);
    }

    [Fact]
    public async Task EmbedContentOnABackendWithoutEmbeddingsSaysSo()
    {
        using var response = await _http.PostAsync("/v1beta/models/echo/a:embedContent", Json("{\"content\":{\"parts\":[{\"text\":\"x\"}]}}"), Ct);

        var error = await ErrorAsync(response, 400, "INVALID_ARGUMENT", Ct);
        Assert.Contains("has no embeddings", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task OversizedBodyIsA413InGeminiShape()
    {
        var big = UserText(new string('x', 100 * 1024));
        using var response = await _http.PostAsync("/v1beta/models/echo/a:generateContent", Json(big), Ct);

        await ErrorAsync(response, 413, "INVALID_ARGUMENT", Ct);
    }

    [Fact]
    public async Task MidStreamFailureEndsTheSseStreamWithAGeminiError()
    {
        using var response = await PostAsync(_http, "/v1beta/models/echo/a+fail-after=2:streamGenerateContent?alt=sse", UserText("one two three four"), Ct);
        var chunks = await SseChunksAsync(response, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("one two ", Text(chunks));
        var error = chunks[^1].GetProperty("error");
        Assert.Equal(502, error.GetProperty("code").GetInt32());
        Assert.Equal("UNAVAILABLE", error.GetProperty("status").GetString());
        Assert.DoesNotContain(chunks, c => FinishReason(c) is not null);
    }

    [Fact]
    public async Task CountTokensUsesTheRealTokenizer()
    {
        using var plain = await _http.PostAsync("/v1beta/models/echo/a:countTokens", Json(UserText("Hello, world!")), Ct);
        using var wrapped = await _http.PostAsync("/v1beta/models/echo/a:countTokens",
            Json("{\"generateContentRequest\":{\"model\":\"models/echo/a\",\"contents\":[{\"parts\":[{\"text\":\"Hello, world!\"}]}]}}"), Ct);
        using var unknown = await _http.PostAsync("/v1beta/models/nosuch/a:countTokens", Json(UserText("x")), Ct);

        var count = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(4 + 3, count.GetProperty("totalTokens").GetInt32()); // cl100k_base: Hello , world ! + 3 per message
        Assert.Equal(7, JsonDocument.Parse(await wrapped.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("totalTokens").GetInt32());
        await ErrorAsync(unknown, 404, "NOT_FOUND", Ct);
    }

    [Fact]
    public async Task ModelListAndModelGetHaveGeminiShape()
    {
        var list = JsonDocument.Parse(await _http.GetStringAsync("/v1beta/models", Ct)).RootElement.GetProperty("models").EnumerateArray().ToList();
        var hello = list.Single(m => m.GetProperty("name").GetString() == "models/echo/hello");
        Assert.Equal("echo/hello", hello.GetProperty("displayName").GetString());
        Assert.Equal(["generateContent", "streamGenerateContent", "countTokens"],
            hello.GetProperty("supportedGenerationMethods").EnumerateArray().Select(m => m.GetString()));

        var one = JsonDocument.Parse(await _http.GetStringAsync("/v1beta/models/echo%2Fhello", Ct)).RootElement;
        Assert.Equal("models/echo/hello", one.GetProperty("name").GetString());
        using var missing = await _http.GetAsync("/v1beta/models/nosuch/x", Ct);
        await ErrorAsync(missing, 404, "NOT_FOUND", Ct);
    }

    [Fact]
    public async Task ThoughtsAppearOnlyWhenIncludeThoughtsIsSet()
    {
        const string thinking = ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}";
        using var shown = await PostAsync(_http, "/v1beta/models/echo/think:streamGenerateContent?alt=sse", UserText("two words", thinking), Ct);
        using var hidden = await PostAsync(_http, "/v1beta/models/echo/think:streamGenerateContent?alt=sse", UserText("two words"), Ct);

        var chunks = await SseChunksAsync(shown, Ct);
        Assert.StartsWith("The user wrote 2 words", Thoughts(chunks));
        Assert.Contains(chunks.SelectMany(Parts), p => p.TryGetProperty("thoughtSignature", out var s) && s.GetString() == "echo-signature-2");
        Assert.Equal("two words", Text(chunks));
        var quiet = await SseChunksAsync(hidden, Ct);
        Assert.Equal("", Thoughts(quiet));
        Assert.Equal("two words", Text(quiet));
    }
}
