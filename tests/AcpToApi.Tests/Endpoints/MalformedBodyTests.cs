using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Endpoints;

/// <summary>
/// Bodies that are JSON but not usable — a null where an object or string belongs, a lone surrogate escape, a number no
/// double can hold, a key twice in a passthrough body — get a 400 in the path's protocol naming the field, on every
/// ingress: never a 500, an empty body or a .NET type name.
/// </summary>
public sealed class MalformedBodyTests : IAsyncLifetime
{
    private const string Hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private const string GeminiHi = "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]";

    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // openai/ and anthropic/ are configured (on a port nothing listens on): the body must be refused before any routing.
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "k", ["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1", ["ANTHROPIC_API_KEY"] = "k", ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9",
        });
        _http = _gateway.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":\"echo/a\",\"messages\":[null]}", "messages[0]")]
    [InlineData("/v1/chat/completions", "{\"model\":\"echo/a\",\"tools\":[null]," + Hi + "}", "tools[0]")]
    [InlineData("/v1/chat/completions", "{\"model\":\"echo/a\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[null]}]}", "messages[0].tool_calls[0]")]
    [InlineData("/v1/chat/completions", "{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800\"}]}", "messages[0].content")]
    [InlineData("/v1/chat/completions", "{\"model\":\"openai/a\",\"temperature\":1e400," + Hi + "}", "temperature")]
    [InlineData("/v1/chat/completions", "{\"model\":\"openai/a\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\udc00b\"}]}", "messages[0].content")]
    [InlineData("/v1/messages", "{\"model\":\"echo/a\",\"max_tokens\":5,\"messages\":[null]}", "messages.0")]
    [InlineData("/v1/messages", "{\"model\":\"echo/a\",\"max_tokens\":5,\"tools\":[null]," + Hi + "}", "tools.0")]
    [InlineData("/v1/messages", "{\"model\":\"echo/a\",\"max_tokens\":5,\"stop_sequences\":[null]," + Hi + "}", "stop_sequences.0")]
    [InlineData("/v1/messages", "{\"model\":\"anthropic/a\",\"max_tokens\":5,\"top_p\":-1e400," + Hi + "}", "top_p")]
    [InlineData("/v1/messages", "{\"model\":\"echo/a\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800\"}]}", "messages[0].content")]
    [InlineData("/v1/messages/count_tokens", "{\"model\":\"echo/a\",\"messages\":[null]}", "messages.0")]
    [InlineData("/v1/messages/count_tokens", "{\"model\":\"echo/a\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}", "messages[0].content")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{\"contents\":[null]}", "contents[0]")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{\"contents\":[{\"role\":\"user\",\"parts\":[null]}]}", "contents[0].parts[0]")]
    [InlineData("/v1beta/models/echo/a:streamGenerateContent", "{" + GeminiHi + ",\"tools\":[null]}", "tools[0]")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{" + GeminiHi + ",\"tools\":[{\"functionDeclarations\":[null]}]}", "tools[0].functionDeclarations[0]")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{" + GeminiHi + ",\"systemInstruction\":{\"parts\":[null]}}", "systemInstruction.parts[0]")]
    [InlineData("/v1beta/models/echo/a:generateContent", "{" + GeminiHi + ",\"generationConfig\":{\"stopSequences\":[null]}}", "generationConfig.stopSequences[0]")]
    [InlineData("/v1beta/models/echo/a:countTokens", "{\"contents\":[null]}", "contents[0]")]
    [InlineData("/v1/responses", "{\"model\":\"echo/a\",\"input\":\"a\\ud800\"}", "input")]
    [InlineData("/v1/responses", "{\"model\":\"openai/a\",\"temperature\":1e400,\"input\":\"hi\"}", "temperature")]
    [InlineData("/v1/responses", "{\"model\":\"echo/a\",\"input\":[null]}", "input[0]")]
    [InlineData("/v1/embeddings", "{\"model\":\"openai/a\",\"input\":\"a\",\"input\":\"b\"}", "same key twice")]
    [InlineData("/v1/embeddings", "{\"model\":\"openai/a\",\"input\":\"a\\ud800\"}", "input")]
    [InlineData("/debug/translate", "{\"model\":\"echo/a\",\"messages\":[null]}", "messages[0]")]
    public async Task EachIsA400InThePathsProtocolNamingTheField(string path, string body, string field)
    {
        using var response = await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(400, (int)response.StatusCode);
        var message = ProtocolError.Message(path, text);
        Assert.Contains(field, message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    [InlineData("/v1/responses")]
    public async Task TextThatIsNotUtf8IsA400NamingTheField(string path)
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"echo/a\",\"max_tokens\":5,\"input\":\"hi\",\"messages\":[{\"role\":\"user\",\"content\":\"a#b\"}]}");
        body[Array.IndexOf(body, (byte)'#')] = 0xD6; // a lead byte with no continuation

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await _http.PostAsync(path, content, Ct);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("messages[0].content' is not valid UTF-8", ProtocolError.Message(path, await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AControlCharacterInADroppedToolTypeStillAnswers()
    {
        using var response = await _http.PostAsync("/v1/responses", new StringContent(
            "{\"model\":\"echo/a\",\"input\":\"hi\",\"tools\":[{\"type\":\"x\\u0000y\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("x?y", Assert.Single(response.Headers.GetValues("X-Acptoapi-Dropped-Tools")));
    }
}
