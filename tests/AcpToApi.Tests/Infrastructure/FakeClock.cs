using Microsoft.Extensions.Time.Testing;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// The gateway's clock in a test: a <see cref="FakeTimeProvider"/> (starting at the real now) that also tells when the code
/// under test starts waiting on it. A test moves the clock only once the wait it means to end exists (an echo delay, a
/// keep-alive timer, the claude queue wait), so what happens does not depend on how fast the machine got there.
/// </summary>
public sealed class FakeClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TimeSpan, int> _created = [];
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Reached)> _waiters = [];
    private string? _detached;

    /// <summary>
    /// The gateway does not run on this clock (an external server process, on the real one): a test that then moves the
    /// clock or waits for the gateway's timers on it is skipped there, with <paramref name="reason"/>.
    /// </summary>
    public void Detach(string reason) => _detached = reason;

    /// <summary>Moves the clock (skips the test when the gateway runs on another clock: see <see cref="Detach"/>).</summary>
    public new void Advance(TimeSpan delta)
    {
        SkipIfDetached();
        base.Advance(delta);
    }

    private void SkipIfDetached()
    {
        if (_detached is { } reason)
        {
            Assert.Skip($"SKIPPED: this test drives the gateway's clock, and {reason}");
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _created[dueTime] = _created.GetValueOrDefault(dueTime) + 1;
            foreach (var waiter in _waiters.Where(w => w.DueTime == dueTime && w.Count <= _created[dueTime]).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
        return timer;
    }

    /// <summary>How many timers (or delays, or timed cancellations) of <paramref name="dueTime"/> have been created so far.</summary>
    public int TimersCreated(TimeSpan dueTime)
    {
        SkipIfDetached();
        lock (_lock)
        {
            return _created.GetValueOrDefault(dueTime);
        }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> timers (or delays, or timed cancellations) of <paramref name="dueTime"/> have
    /// been created on this clock since it started; fails the test after <see cref="Eventually.Bound"/>.
    /// </summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        SkipIfDetached();
        TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_created.GetValueOrDefault(dueTime) >= count)
            {
                return Task.CompletedTask;
            }
            _waiters.Add((dueTime, count, reached));
        }
        return Eventually.WaitAsync(reached.Task, $"timer #{count} of {dueTime.TotalMilliseconds:0} ms being set");
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/> again and again until <paramref name="happened"/> completes: for a timeout
    /// (the idle timeout) whose timer the code re-arms between two waits, so one step may land in between. Each step waits a
    /// moment for the event; only how many steps it takes depends on the machine, never whether it happens.
    /// </summary>
    public async Task AdvanceUntilAsync(Task happened, TimeSpan step, string what)
    {
        SkipIfDetached();
        var started = TimeProvider.System.GetTimestamp();
        while (!happened.IsCompleted)
        {
            if (TimeProvider.System.GetElapsedTime(started) > Eventually.Bound)
            {
                Assert.Fail($"{what} did not happen within {Eventually.Bound.TotalSeconds:0} s of moving the clock");
            }
            Advance(step);
            await Task.WhenAny(happened, Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken));
        }
    }
}
