using AcpToApi.Backends;

namespace AcpToApi.Tests.Backends;

/// <summary>How a send that never connects is reported: the handler's real connect timeout is an unavailable upstream (503), not an internal error.</summary>
public sealed class UpstreamHttpTests
{
    private static HttpClient NeverConnecting(TimeSpan connectTimeout, TaskCompletionSource? connecting = null) => new(new SocketsHttpHandler
    {
        ConnectTimeout = connectTimeout,
        // A peer that never completes the handshake, as a black-holed address would.
        ConnectCallback = async (_, cancellationToken) =>
        {
            connecting?.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        },
    });

    [Fact]
    public async Task AConnectTimeoutIsUnavailable()
    {
        using var http = NeverConnecting(TimeSpan.FromMilliseconds(200));
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/v1/chat/completions");

        var error = await Assert.ThrowsAsync<ChatBackendException>(() => UpstreamHttp.SendAsync(http, message, "fake", TestContext.Current.CancellationToken));

        Assert.Equal(ChatErrorKind.Unavailable, error.Kind);
        Assert.Contains("did not accept a connection at http://127.0.0.1:9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCallersCancellationStaysACancellation()
    {
        var connecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = NeverConnecting(TimeSpan.FromMinutes(5), connecting);
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/v1/chat/completions");
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var send = UpstreamHttp.SendAsync(http, message, "fake", caller.Token);
        await connecting.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await caller.CancelAsync(); // the caller leaves while the connection is being made

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }
}
