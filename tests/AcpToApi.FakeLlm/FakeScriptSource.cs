using System.Collections.Concurrent;

namespace AcpToApi.FakeLlm;

/// <summary>Chooses the script for each LLM request: queued, else tool-result answer, else prompt directive, else default.</summary>
internal sealed class FakeScriptSource
{
    private readonly ConcurrentQueue<FakeScript> queue = new();
    private FakeScript fallback = new();

    public int Pending => queue.Count;

    public void Enqueue(FakeScript script) => queue.Enqueue(script);

    public void Clear() => queue.Clear();

    public void SetDefault(FakeScript script) => Volatile.Write(ref fallback, script);

    public FakeScript Next(LastTurn turn)
    {
        if (queue.TryDequeue(out var queued))
        {
            return queued;
        }

        if (turn.IsToolResult)
        {
            return FakeScript.AfterToolResult;
        }

        try
        {
            return FakeDirective.Find(turn.Texts) ?? Volatile.Read(ref fallback);
        }
        catch (FormatException ex)
        {
            return new FakeScript { Status = 400, ErrorMessage = "fake: " + ex.Message };
        }
    }
}
