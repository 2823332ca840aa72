using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>
/// <c>/_fake/*</c>: control and inspection for standalone use. Not recorded.
/// GET|DELETE /_fake/requests, POST /_fake/script (enqueue), POST /_fake/default, DELETE /_fake/scripts.
/// </summary>
internal sealed class FakeControlEndpoint(FakeScriptSource scripts, RequestLog log)
{
    public async Task HandleAsync(HttpContext http)
    {
        var token = http.RequestAborted;
        switch (http.Request.Method, http.Request.Path.Value?.TrimEnd('/'))
        {
            case ("GET", "/_fake/requests"):
                await JsonResponse.WriteAsync(http, 200, WriteRequests, token);
                break;
            case ("DELETE", "/_fake/requests"):
                log.Clear();
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case ("DELETE", "/_fake/scripts"):
                scripts.Clear();
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case ("POST", "/_fake/script"):
                await ReadScriptAsync(http, scripts.Enqueue);
                break;
            case ("POST", "/_fake/default"):
                await ReadScriptAsync(http, scripts.SetDefault);
                break;
            default:
                await JsonResponse.WriteAsync(http, 404, w => OpenAIErrors.WriteBody(w, "fake: unknown control route", 404), token);
                break;
        }
    }

    private async Task ReadScriptAsync(HttpContext http, Action<FakeScript> use)
    {
        FakeScript script;
        try
        {
            script = await FakeScriptJson.ReadAsync(http.Request.Body, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            await JsonResponse.WriteAsync(http, 400, w => OpenAIErrors.WriteBody(w, "fake: invalid script: " + ex.Message, 400), http.RequestAborted);
            return;
        }

        use(script);
        await JsonResponse.WriteAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("queued", scripts.Pending);
            w.WriteEndObject();
        }, http.RequestAborted);
    }

    private void WriteRequests(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var request in log.Snapshot())
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", request.Sequence);
            w.WriteString("method", request.Method);
            w.WriteString("path", request.Path);
            w.WriteString("query", request.QueryString);
            w.WriteStartObject("headers");
            foreach (var (name, value) in request.Headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteString("body", request.Body);
            w.WriteString("receivedAt", request.ReceivedAt);
            w.WriteNumber("tokensSent", request.TokensSent);
            if (request.Completion.IsCompletedSuccessfully)
            {
                w.WriteString("outcome", request.Completion.Result.Kind.ToString());
                w.WriteString("completedAt", request.Completion.Result.At);
            }
            else
            {
                w.WriteNull("outcome");
                w.WriteNull("completedAt");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
