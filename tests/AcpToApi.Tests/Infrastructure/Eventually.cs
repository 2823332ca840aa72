namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// Waits for an event and asserts that it happened, never how long it took. The one bound is generous, far beyond what a
/// busy machine needs: it only keeps a broken gateway (one that buffers, or never kills, or never aborts) from hanging the
/// run, and turns that into a failure that says what did not happen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Checks a condition on state we cannot subscribe to (the process table) every few ms.</summary>
    public static Task WaitAsync(Func<bool> condition, string what) =>
        PollAsync(() => Task.FromResult(condition()), TimeSpan.FromMilliseconds(5), what);

    /// <summary>Checks a condition that needs asking (a daemon's session list) every 50 ms.</summary>
    public static Task WaitAsync(Func<Task<bool>> condition, string what) => PollAsync(condition, TimeSpan.FromMilliseconds(50), what);

    /// <summary>Asks until the condition holds; the interval only paces the asking, the bound only ends a hang.</summary>
    private static async Task PollAsync(Func<Task<bool>> condition, TimeSpan interval, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > Bound)
            {
                Assert.Fail($"{what} did not happen within {Bound.TotalSeconds:0} s");
            }
            await Task.Delay(interval, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<T> WaitAsync<T>(Task<T> happening, string what)
    {
        await WaitAsync((Task)happening, what);
        return await happening;
    }

    public static async Task WaitAsync(Task happening, string what)
    {
        try
        {
            await happening.WaitAsync(Bound, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not happen within {Bound.TotalSeconds:0} s");
        }
    }
}
