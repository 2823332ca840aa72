using System.Text;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>The same one-turn request on each ingress (Chat Completions, Anthropic Messages, Responses, Gemini), streamed or not, for table-driven tests.</summary>
public static class IngressRequest
{
    public static readonly string[] All = ["/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1beta"];

    public static HttpRequestMessage Create(string ingress, string model, bool stream)
    {
        var s = stream ? "true" : "false";
        var (path, body) = ingress switch
        {
            "/v1/chat/completions" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"messages":[{"role":"user","content":"hi"}]}"""),
            "/v1/messages" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"max_tokens":50,"messages":[{"role":"user","content":"hi"}]}"""),
            "/v1/responses" => (ingress, $$"""{"model":"{{model}}","stream":{{s}},"input":"hi"}"""),
            _ => ($"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent"),
                """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"""),
        };
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <summary>Markers of a stream that ended as complete, in any of the four protocols.</summary>
    public static readonly string[] CompletionMarkers = ["[DONE]", "response.completed", "message_stop", "\"finishReason\""];

    /// <summary>Reads a streamed body until <paramref name="until"/> has arrived, or to its end when null.</summary>
    public static async Task ReadUntilAsync(Stream content, StringBuilder seen, string? until, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (until is null || !seen.ToString().Contains(until, StringComparison.Ordinal))
        {
            var read = await content.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                Assert.Null(until);
                return;
            }
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
