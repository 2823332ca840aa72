using System.Text;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>What the fake answers to one LLM request, whatever the protocol.</summary>
public sealed record FakeScript
{
    /// <summary>Text deltas, one SSE frame each.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = ["Hello", " from", " fake"];

    /// <summary>Reasoning deltas, emitted before the text.</summary>
    public IReadOnlyList<string> Reasoning { get; init; } = [];

    /// <summary>Signature of the Anthropic thinking block (sent as <c>signature_delta</c>).</summary>
    public string Signature { get; init; } = "fake-signature";

    /// <summary>Tool calls, emitted after the text.</summary>
    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];

    /// <summary>OpenAI stream only: name every tool call (id, name) before streaming any call's arguments, as some upstreams do.</summary>
    public bool AnnounceToolCallsFirst { get; init; }

    /// <summary>Delay before each content frame (reasoning, text, tool call start, tool argument fragment).</summary>
    public int DelayMs { get; init; }

    /// <summary>When set: answer with this HTTP status and the protocol's error body, no stream.</summary>
    public int? Status { get; init; }

    public string ErrorMessage { get; init; } = "fake upstream error";

    /// <summary>Adds a <c>Retry-After</c> header to error responses.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// After this many text tokens, hold the next one until the test calls <see cref="RecordedRequest.Release"/>: proves
    /// that what came before reached the client while the upstream was provably still holding, whatever the machine's speed.
    /// </summary>
    public int? HoldAfterTokens { get; init; }

    /// <summary>After this many text tokens, send nothing more but keep the connection open until the client leaves.</summary>
    public int? StallAfterTokens { get; init; }

    /// <summary>After this many text tokens, send one SSE frame whose data is not JSON (a cut-off object) and end the stream.</summary>
    public int? MalformedAfterTokens { get; init; }

    /// <summary>After this many text tokens, send the protocol's in-band error and end the stream.</summary>
    public int? ErrorAfterTokens { get; init; }

    /// <summary>After this many text tokens, abort the TCP connection without a proper end.</summary>
    public int? AbortAfterTokens { get; init; }

    /// <summary>Overrides the finish reason: OpenAI names (stop, length, tool_calls, content_filter) or Anthropic ones.</summary>
    public string? FinishReason { get; init; }

    public int InputTokens { get; init; } = 11;

    public int OutputTokens { get; init; } = 7;

    /// <summary>Anthropic only: prompt-cache reads and writes reported in <c>message_start</c> usage (absent when null).</summary>
    public int? CacheReadTokens { get; init; }

    public int? CacheWriteTokens { get; init; }

    /// <summary>The answer to a request whose last message is a tool result, so an agent's loop ends.</summary>
    public static FakeScript AfterToolResult { get; } = new() { Tokens = ["Done", " after", " tool"] };

    /// <summary>
    /// Resolves tool calls named <c>*suffix</c> to the one offered tool whose name ends with <c>suffix</c>, for agents that
    /// prefix the names of tools they pass on (opencode names a client's tool after its MCP server, which the test cannot
    /// know in advance). A suffix that matches no offered tool stays as it is.
    /// </summary>
    public FakeScript ResolveToolNames(IReadOnlyList<string> offered)
    {
        if (!ToolCalls.Any(c => c.Name.StartsWith('*')))
        {
            return this;
        }
        return this with
        {
            ToolCalls = [.. ToolCalls.Select(c => c.Name.StartsWith('*') && offered.FirstOrDefault(o => o.EndsWith(c.Name[1..], StringComparison.Ordinal)) is { } name
                ? c with { Name = name }
                : c)],
        };
    }

    /// <summary>Reads a script from its camelCase JSON form (missing fields keep their defaults).</summary>
    public static FakeScript FromJson(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        return FakeScriptJson.Read(ref reader);
    }

    /// <summary>This script as JSON, camelCase.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FakeJsonContext.Readable.FakeScript);

    /// <summary>The prompt text that steers the fake when no script is queued: <c>[[fake {json}]]</c>.</summary>
    public string ToDirective() => "[[fake " + ToJson() + "]]";
}
