using System.Diagnostics;

namespace AcpToApi.Tests.ClaudeCli;

/// <summary>Waits for a condition on state we cannot subscribe to (the process table), checking every few ms up to a deadline.</summary>
public static class Eventually
{
    /// <summary>Returns how long it took; fails the test when <paramref name="timeout"/> passes first.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"{what} did not happen within {timeout.TotalSeconds:0.#} s");
            }
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        return Stopwatch.GetElapsedTime(started);
    }
}
