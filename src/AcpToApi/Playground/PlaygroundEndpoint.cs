namespace AcpToApi.Playground;

/// <summary>
/// GET /: the one-page playground (server, API key, protocol, model, prompt → streamed content, reasoning, tool calls,
/// raw frames, finish reason, usage and timings). Served without the API key: the page holds no secret.
/// </summary>
internal static class PlaygroundEndpoint
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(PlaygroundEndpoint).Assembly.GetManifestResourceStream("AcpToApi.Playground.playground.html")
            ?? throw new InvalidOperationException("the playground page is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Handle() => Results.Bytes(Page.Value, "text/html; charset=utf-8");
}
