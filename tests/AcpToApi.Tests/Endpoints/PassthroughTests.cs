using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

/// <summary>Embeddings, images, moderations, rerank and speech go to the model's backend with only the model name changed.</summary>
public sealed class PassthroughTests : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => OpenAIUpstream.Environment(Fake);

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task EmbeddingsAreForwardedWithTheBackendModelAndKey()
    {
        using var response = await PostAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":["a","b"],"dimensions":3,"encoding_format":"float"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal([0.25, -0.5, 1.0], body.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()));
        var sent = Fake.Requests.Single();
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("Bearer " + OpenAIUpstream.Key, sent.Headers["Authorization"]);
        Assert.Equal("""{"model":"text-embedding-3-small","input":["a","b"],"dimensions":3,"encoding_format":"float"}""", sent.Body);
    }

    [Theory]
    [InlineData("/v1/images/generations", """{"model":"openai/gpt-image-1","prompt":"a cat","size":"1024x1024"}""")]
    [InlineData("/v1/moderations", """{"model":"openai/omni-moderation-latest","input":"hello"}""")]
    [InlineData("/v1/rerank", """{"model":"openai/rerank-1","query":"q","documents":["a","b"]}""")]
    public async Task JsonEndpointsPassThrough(string path, string json)
    {
        using var response = await PostAsync(path, json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(path, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("fake_endpoint").GetString());
        Assert.Equal(path, Fake.Requests.Single().Path);
    }

    [Fact]
    public async Task SpeechStreamsBinaryAudioBack()
    {
        using var response = await PostAsync("/v1/audio/speech", """{"model":"openai/tts-1","input":"hi","voice":"alloy"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OpenAIAuxiliaryEndpointBytes(), await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task UpstreamErrorsKeepTheirStatusAndRetryAfter()
    {
        Fake.Enqueue(new FakeScript { Status = 429, ErrorMessage = "quota", RetryAfterSeconds = 5 });

        using var response = await PostAsync("/v1/embeddings", """{"model":"openai/e","input":"x"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("quota", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("""{"model":"echo/x","input":"x"}""", 400, "unsupported_endpoint")]
    [InlineData("""{"model":"nope/x","input":"x"}""", 404, "model_not_found")]
    [InlineData("""{"input":"x"}""", 400, "missing_required_parameter")]
    [InlineData("""{"model":"groq/x","input":"x"}""", 401, "missing_api_key")]
    public async Task RoutingErrorsAreOpenAIErrors(string json, int status, string code)
    {
        using var response = await PostAsync("/v1/embeddings", json);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(Fake.Requests);
    }

    private static byte[] OpenAIAuxiliaryEndpointBytes() => "ID3\u0004fake-mp3-audio"u8.ToArray();
}
