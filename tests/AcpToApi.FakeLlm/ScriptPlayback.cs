namespace AcpToApi.FakeLlm;

/// <summary>The protocol-independent part of playing a script: pacing, token counting, stall / error / abort.</summary>
internal sealed class ScriptPlayback(FakeExchange exchange, FakeScript script)
{
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    public FakeScript Script { get; } = script;

    public Task PaceAsync() => Script.DelayMs > 0 ? Task.Delay(Script.DelayMs, exchange.Cancellation) : Task.CompletedTask;

    /// <summary>Paces and writes each delta.</summary>
    public async Task PlayAsync(IEnumerable<string> deltas, Func<string, Task> write)
    {
        foreach (var delta in deltas)
        {
            await PaceAsync();
            await write(delta);
        }
    }

    /// <summary>
    /// Plays the text tokens, honouring the stall / error / abort points.
    /// Returns false when the response has ended early (error written or connection aborted).
    /// </summary>
    public async Task<bool> PlayTextAsync(Func<string, Task> writeToken, Func<Task> writeError)
    {
        var tokens = Script.Tokens;
        for (var sent = 0; ; sent++)
        {
            if (sent == Script.HoldAfterTokens)
            {
                await exchange.Record.HoldAsync(exchange.Cancellation);
            }

            if (sent == Script.StallAfterTokens)
            {
                // Keep the connection open, silently, until the client leaves (throws then).
                await Task.Delay(Timeout.Infinite, exchange.Cancellation);
            }

            if (sent == Script.ErrorAfterTokens)
            {
                await writeError();
                return false;
            }

            if (sent == Script.MalformedAfterTokens)
            {
                await exchange.Http.Response.WriteAsync("data: {\"choices\":[{\"delta\":{\"content\":\"cut\n\n", exchange.Cancellation);
                await exchange.Http.Response.Body.FlushAsync(exchange.Cancellation);
                return false;
            }

            if (sent == Script.AbortAfterTokens)
            {
                // Flushed bytes may still sit in Kestrel's output pipe; let them reach the client before the cut.
                await Task.Delay(AbortGrace, exchange.Cancellation);
                exchange.Abort();
                return false;
            }

            if (sent == tokens.Count)
            {
                return true;
            }

            await PaceAsync();
            await writeToken(tokens[sent]);
            exchange.Record.CountToken();
        }
    }

    /// <summary>Splits tool arguments into about three fragments, as real upstreams stream them.</summary>
    public static IEnumerable<string> Fragments(string arguments)
    {
        if (arguments.Length == 0)
        {
            yield break;
        }

        var size = Math.Max(1, (arguments.Length + 2) / 3);
        for (var i = 0; i < arguments.Length; i += size)
        {
            yield return arguments.Substring(i, Math.Min(size, arguments.Length - i));
        }
    }
}
