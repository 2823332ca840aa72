namespace AcpToApi.FakeLlm;

/// <summary>The recorded requests, and waiters signalled as each one is recorded (no polling).</summary>
/// <param name="keep">False: requests are only signalled to waiters, never kept (long benchmark runs).</param>
internal sealed class RequestLog(bool keep = true)
{
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly List<Waiter> waiters = [];

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (gate)
        {
            return [.. requests];
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }

    public void Add(RecordedRequest request)
    {
        List<Waiter> matched = [];
        lock (gate)
        {
            if (keep)
            {
                requests.Add(request);
            }

            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Matches(request))
                {
                    matched.Add(waiters[i]);
                    waiters.RemoveAt(i);
                }
            }
        }

        // Complete outside the lock; continuations run asynchronously anyway.
        foreach (var waiter in matched)
        {
            waiter.Source.TrySetResult(request);
        }
    }

    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(predicate);
        lock (gate)
        {
            var existing = requests.Find(r => waiter.Matches(r));
            if (existing is not null)
            {
                return existing;
            }

            waiters.Add(waiter);
        }

        try
        {
            return await waiter.Source.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching request was recorded within {timeout}.");
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    private sealed class Waiter(Func<RecordedRequest, bool> predicate)
    {
        public TaskCompletionSource<RecordedRequest> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Matches(RecordedRequest request)
        {
            try
            {
                return predicate(request);
            }
            catch (Exception ex)
            {
                Source.TrySetException(ex);
                return false;
            }
        }
    }
}
