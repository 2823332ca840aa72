using System.Globalization;
using System.Text;
using AcpToApi.Backends.OpenCode;
using AcpToApi.Streaming;
using AcpToApi.Tests.Streaming;

namespace AcpToApi.Tests.Backends.OpenCode;

/// <summary>Replays a captured <c>GET /event</c> stream (copied from the shared samples) through the translator.</summary>
internal static class ServeSample
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    /// <summary>Every event of the sample, in order, as the hub parses them (null for lines that are not events).</summary>
    public static List<ServeEvent> Events(string name)
    {
        var events = new List<ServeEvent>();
        foreach (var line in File.ReadLines(PathOf(name)))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && ServeEvent.Parse(Encoding.UTF8.GetBytes(line[5..].Trim())) is { } parsed)
            {
                events.Add(parsed);
            }
        }
        return events;
    }

    /// <summary>The session the sample is about: the first one an event names.</summary>
    public static string SessionOf(List<ServeEvent> events) => events.First(e => e.SessionId is not null).SessionId!;

    /// <summary>Feeds the session's events until the translator completes; returns the rendered chat events and the translator.</summary>
    public static (List<string> Rendered, ServeHarness Translator) Translate(string name)
    {
        var events = Events(name);
        var session = SessionOf(events);
        var translator = new ServeHarness("opencode");
        var output = new List<ChatEvent>();
        foreach (var serveEvent in events.Where(e => e.SessionId == session))
        {
            translator.Translate(serveEvent, output);
            if (translator.Completed)
            {
                break;
            }
        }
        return (output.Select(Render).ToList(), translator);
    }

    public static string Render(ChatEvent chatEvent) => chatEvent switch
    {
        ResponseStarted => "start",
        BlockStarted b => $"block {b.Index} {b.Kind}{(b.ToolCallId is null ? "" : " " + b.ToolCallId)}{(b.ToolName is null ? "" : " " + b.ToolName)}",
        TextDelta t => $"text {t.Index} {t.Text}",
        ReasoningDelta r => $"reasoning {r.Index} {r.Text}",
        ToolArgumentsDelta a => $"args {a.Index} {a.JsonFragment}",
        BlockStopped s => $"stop {s.Index}",
        UsageReported u => string.Create(CultureInfo.InvariantCulture,
            $"usage in={u.Usage.InputTokens} out={u.Usage.OutputTokens} reasoning={u.Usage.ReasoningTokens} cache={u.Usage.CacheReadTokens}/{u.Usage.CacheWriteTokens}"),
        Heartbeat h => "heartbeat " + h.Note,
        ResponseCompleted c => "completed " + c.StopReason,
        _ => chatEvent.GetType().Name,
    };
}

/// <summary>The translator with its output recorded and checked against the event contract.</summary>
internal sealed class ServeHarness
{
    private readonly RecordedOutput _output = new();
    private readonly ServeStreamTranslator _translator;

    public ServeHarness(string upstreamName, string? sessionId = null, string? clientToolServer = null) =>
        _translator = new ServeStreamTranslator(_output.Builder, upstreamName, sessionId, clientToolServer);

    public IEnumerable<ServeClientCall> ClientCalls => _translator.ClientCalls;

    public bool Completed => _output.Completed;

    public IReadOnlyList<string> TakePermissionRequests() => [.. _translator.TakePermissionRequests().Select(p => p.Id)];

    /// <summary>Appends the chat events for one daemon event to <paramref name="output"/>.</summary>
    public void Translate(ServeEvent serveEvent, List<ChatEvent> output)
    {
        try
        {
            _translator.Translate(serveEvent);
        }
        finally
        {
            output.AddRange(_output.Take());
        }
    }
}
