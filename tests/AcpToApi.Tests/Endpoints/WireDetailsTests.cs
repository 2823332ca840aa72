using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

/// <summary>
/// Small wire details clients check, through the echo backend: OpenAI omits <c>system_fingerprint</c> rather than send
/// null; Anthropic names the matched stop sequence and reports known input tokens in <c>message_start</c>; echo's
/// <c>error=STATUS</c> arrives with that very status.
/// </summary>
public sealed class WireDetailsTests : EchoGatewayTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAIOmitsSystemFingerprint(bool stream)
    {
        var body = await PostAsync("/v1/chat/completions", $$"""{"model":"echo/a","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"one two"}]}""");

        Assert.Contains("\"model\":\"echo/a\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("system_fingerprint", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicNamesTheMatchedStopSequence()
    {
        var whole = JsonDocument.Parse(await PostAsync("/v1/messages",
            """{"model":"echo/a","max_tokens":50,"stop_sequences":["nope","two"],"messages":[{"role":"user","content":"one two three"}]}""")).RootElement;
        var streamed = await PostAsync("/v1/messages",
            """{"model":"echo/a","stream":true,"max_tokens":50,"stop_sequences":["nope","two"],"messages":[{"role":"user","content":"one two three"}]}""");

        Assert.Equal("stop_sequence", whole.GetProperty("stop_reason").GetString());
        Assert.Equal("two", whole.GetProperty("stop_sequence").GetString());
        Assert.Contains("\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"two\"}", streamed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicMessageStartCarriesKnownInputTokens()
    {
        var streamed = await PostAsync("/v1/messages",
            """{"model":"echo/a","stream":true,"max_tokens":50,"messages":[{"role":"user","content":"one two three"}]}""");

        var start = streamed.Split("\n\n").Single(frame => frame.StartsWith("event: message_start", StringComparison.Ordinal));
        var usage = JsonDocument.Parse(start[(start.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).RootElement.GetProperty("message").GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("input_tokens").GetInt32());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(418)]
    public async Task EchoErrorKeepsItsStatus(int status)
    {
        using var response = await Http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"echo/error={{status}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains($"HTTP {status}", ProtocolError.Message("/v1/chat/completions", await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    private async Task<string> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
