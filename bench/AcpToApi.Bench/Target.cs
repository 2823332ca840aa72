using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AcpToApi.Bench;

/// <summary>One column: where requests go, the model name, extra headers, and the process whose memory is its cost.</summary>
internal sealed class Target
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[] wholeBody;
    private readonly byte[] streamBody;
    private readonly KeyValuePair<string, string>[] headers;

    public Target(string name, string title, Uri chatUrl, string model, KeyValuePair<string, string>[] headers, ServerProcess process)
    {
        Name = name;
        Title = title;
        ChatUrl = chatUrl;
        Process = process;
        this.headers = headers;
        wholeBody = Body(model, stream: false);
        streamBody = Body(model, stream: true);
    }

    public string Name { get; }

    public string Title { get; }

    public Uri ChatUrl { get; }

    public ServerProcess Process { get; }

    public HttpRequestMessage Create(bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ChatUrl)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(stream ? streamBody : wholeBody),
        };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static byte[] Body(string model, bool stream) => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"benchmark"}],"stream":{{(stream ? "true" : "false")}}}""");
}
