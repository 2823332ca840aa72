using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Gemini;

/// <summary>:embedContent and :batchEmbedContents answered by an OpenAI-compatible backend's /embeddings.</summary>
public sealed class GeminiEmbeddingsTests : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => OpenAIUpstream.Environment(Fake);

    private Task<HttpResponseMessage> PostAsync(string path, string json) => Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task EmbedContentReturnsGeminiValues()
    {
        using var response = await PostAsync("/v1beta/models/openai%2Ftext-embedding-3-small:embedContent",
            """{"content":{"parts":[{"text":"hello"},{"text":"world"}]},"outputDimensionality":3}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal([0.25, -0.5, 1.0], body.GetProperty("embedding").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        var sent = Fake.Requests.Single();
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("""{"model":"text-embedding-3-small","input":["hello\nworld"],"dimensions":3}""", sent.Body);
    }

    [Fact]
    public async Task BatchEmbedContentsReturnsOneVectorPerRequest()
    {
        using var response = await PostAsync("/v1beta/models/openai/e:batchEmbedContents",
            """{"requests":[{"model":"models/openai/e","content":{"parts":[{"text":"only"}]}}]}""");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Single(body.GetProperty("embeddings").EnumerateArray());
    }

    [Fact]
    public async Task AMissingVectorIsAnUpstreamErrorNotAFakeAnswer()
    {
        // The fake answers one vector whatever the input: two inputs must not be answered with one.
        using var response = await PostAsync("/v1beta/models/openai/e:batchEmbedContents",
            """{"requests":[{"content":{"parts":[{"text":"a"}]}},{"content":{"parts":[{"text":"b"}]}}]}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("UNAVAILABLE", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"content":{"parts":[{"text":"x"}]},"outputDimensionality":"256"}""", "outputDimensionality")]
    [InlineData("""{"content":{"parts":[{"text":5}]}}""", "parts[].text")]
    public async Task AValueOfTheWrongTypeIsAGemini400(string body, string named)
    {
        using var response = await PostAsync("/v1beta/models/openai/e:embedContent", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Fake.Requests, r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamRateLimitKeepsItsStatus()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "quota", RetryAfterSeconds = 4 });

        using var response = await PostAsync("/v1beta/models/openai/e:embedContent", """{"content":{"parts":[{"text":"x"}]}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("4", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("RESOURCE_EXHAUSTED", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("status").GetString());
    }
}
