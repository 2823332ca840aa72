namespace AcpToApi.FakeLlm;

/// <summary>One request being answered: the HTTP context, its record, and a token that fires when the client leaves or the server stops.</summary>
internal sealed class FakeExchange(HttpContext http, RecordedRequest record, CancellationToken cancellation)
{
    public HttpContext Http { get; } = http;

    public RecordedRequest Record { get; } = record;

    public CancellationToken Cancellation { get; } = cancellation;

    public bool ServerAborted { get; private set; }

    /// <summary>Cuts the connection without a proper end of response.</summary>
    public void Abort()
    {
        ServerAborted = true;
        Record.TryComplete(RequestOutcomeKind.ServerAborted);
        Http.Abort();
    }
}
