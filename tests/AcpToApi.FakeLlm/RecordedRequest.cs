using System.Text;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>One request the fake received, recorded before its response started.</summary>
public sealed class RecordedRequest
{
    private readonly TaskCompletionSource<RequestOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int tokensSent;

    private RecordedRequest(int sequence, string method, string path, string queryString,
        IReadOnlyDictionary<string, string> headers, string body, JsonElement? json, DateTimeOffset receivedAt)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Body = body;
        Json = json;
        ReceivedAt = receivedAt;
    }

    /// <summary>1-based order of arrival at this server; also the N in <c>chatcmpl-fake-N</c> / <c>msg_fake_N</c>.</summary>
    public int Sequence { get; }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The raw query string with its leading <c>?</c> (e.g. <c>?beta=true</c>), or empty.</summary>
    public string QueryString { get; }

    /// <summary>Case-insensitive keys; multiple values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Body { get; }

    /// <summary>The parsed body when it is JSON.</summary>
    public JsonElement? Json { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The script chosen for this request (null for non-LLM requests).</summary>
    public FakeScript? Script { get; internal set; }

    /// <summary>Completes when the response ends.</summary>
    public Task<RequestOutcome> Completion => completion.Task;

    /// <summary>Text tokens written and flushed so far.</summary>
    public int TokensSent => Volatile.Read(ref tokensSent);

    /// <summary>Completes when the script's <see cref="FakeScript.HoldAfterTokens"/> point is reached: the next token waits for <see cref="Release"/>.</summary>
    public Task Held => held.Task;

    /// <summary>Lets a held response go on.</summary>
    public void Release() => released.TrySetResult();

    internal async Task HoldAsync(CancellationToken cancellationToken)
    {
        held.TrySetResult();
        await released.Task.WaitAsync(cancellationToken);
    }

    internal void CountToken() => Interlocked.Increment(ref tokensSent);

    internal bool TryComplete(RequestOutcomeKind kind) => completion.TrySetResult(new RequestOutcome(kind, DateTimeOffset.UtcNow));

    internal static async Task<RecordedRequest> ReadAsync(HttpContext context, int sequence)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values.ToArray());
        }

        return new RecordedRequest(sequence, request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "",
            headers, body, TryParseJson(body), receivedAt);
    }

    private static JsonElement? TryParseJson(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
