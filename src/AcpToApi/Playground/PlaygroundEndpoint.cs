namespace AcpToApi.Playground;

/// <summary>GET /: a one-page playground (endpoint, model, prompt → streamed content, reasoning and raw frames).</summary>
public static class PlaygroundEndpoint
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
