namespace AcpToApi.FakeLlm;

/// <summary>How the fake's response to a request ended.</summary>
public enum RequestOutcomeKind
{
    /// <summary>The response was written to the end.</summary>
    Completed,

    /// <summary>The client went away (RequestAborted fired or a write failed).</summary>
    ClientAborted,

    /// <summary>The fake cut the connection: <see cref="FakeScript.AbortAfterTokens"/>, or the server stopped mid-response.</summary>
    ServerAborted,

    /// <summary>The fake's handler threw.</summary>
    Faulted,
}
