using AcpToApi.Streaming;

namespace AcpToApi.Tests.Streaming;

/// <summary>A translator's builder plus everything it produced so far, checked against the event contract at every step.</summary>
internal sealed class RecordedOutput
{
    public ChatEventBuilder Builder { get; } = new();

    public List<ChatEvent> All { get; } = [];

    public bool Completed => Builder.Completed;

    /// <summary>The events produced since the last call; the whole sequence so far must keep the contract.</summary>
    public List<ChatEvent> Take()
    {
        var taken = Builder.Drain().ToList();
        All.AddRange(taken);
        ChatEventContract.AssertValid(All, complete: false);
        return taken;
    }
}
