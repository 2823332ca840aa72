using System.Text;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// One echo stream of two words with a silence between them, on a gateway whose clock is a <see cref="FakeClock"/>: the
/// silence lasts exactly as long as the test says, so a keep-alive interval is crossed by moving the clock, not by waiting.
/// </summary>
public static class EchoSilence
{
    /// <summary>
    /// Posts <paramref name="json"/> (an echo model with <c>+delay=</c> <paramref name="wordDelay"/> and two words), lets the
    /// first word out, moves the clock by one <paramref name="keepAlive"/> interval while echo waits to make the second, reads
    /// until a line containing <paramref name="keepAliveLine"/> arrives, then lets the second word out. Returns the whole body
    /// exactly as received.
    /// </summary>
    public static async Task<string> StreamAsync(HttpClient http, FakeClock clock, string path, string json,
        TimeSpan wordDelay, TimeSpan keepAlive, string firstWordLine, string keepAliveLine)
    {
        var ct = TestContext.Current.CancellationToken;
        var delays = clock.TimersCreated(wordDelay);
        var keepAlives = clock.TimersCreated(keepAlive);
        var sending = RawSse.PostAsync(http, path, json, ct);
        await clock.WaitForTimerAsync(wordDelay, delays + 1);
        clock.Advance(wordDelay); // the first word; the stream starts with it
        using var response = await Eventually.WaitAsync(sending, "the stream starting");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var body = new StringBuilder();
        await ReadLinesUntilAsync(reader, body, firstWordLine, "the first word");

        await clock.WaitForTimerAsync(wordDelay, delays + 2); // echo waits for its second word: the first one's write is over
        await clock.WaitForTimerAsync(keepAlive, keepAlives + 1); // the exchange's keep-alive timer is set
        clock.Advance(keepAlive);
        await ReadLinesUntilAsync(reader, body, keepAliveLine, "a keep-alive during the silence");

        clock.Advance(wordDelay - keepAlive); // the second word
        body.Append(await reader.ReadToEndAsync(ct));
        return body.ToString();
    }

    private static async Task ReadLinesUntilAsync(StreamReader reader, StringBuilder body, string marker, string what)
    {
        while (true)
        {
            var line = await Eventually.WaitAsync(reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask(), what);
            Assert.True(line is not null, $"the stream ended before {what}: {body}");
            body.Append(line).Append('\n');
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return;
            }
        }
    }
}
