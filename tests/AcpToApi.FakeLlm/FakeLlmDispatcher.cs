namespace AcpToApi.FakeLlm;

/// <summary>Records every request before answering it, routes it, and settles its outcome.</summary>
internal sealed class FakeLlmDispatcher(FakeScriptSource scripts, RequestLog log, CancellationToken serverStopping, Action<RecordedRequest> recorded)
{
    private readonly OpenAIChatEndpoint openAIChat = new(scripts);
    private readonly AnthropicMessagesEndpoint anthropicMessages = new(scripts);
    private readonly OpenAIAuxiliaryEndpoint openAIAuxiliary = new(scripts);
    private readonly GeminiGenerateEndpoint geminiGenerate = new(scripts);
    private readonly OllamaChatEndpoint ollamaChat = new(scripts);
    private readonly BedrockConverseStreamEndpoint bedrockConverse = new(scripts);
    private readonly FakeControlEndpoint control = new(scripts, log);
    private int sequence;

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/_fake"))
        {
            await control.HandleAsync(http);
            return;
        }

        var record = await RecordedRequest.ReadAsync(http, Interlocked.Increment(ref sequence));
        log.Add(record);
        recorded(record);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, serverStopping);
        using var abortRegistration = http.RequestAborted.Register(
            static state => ((RecordedRequest)state!).TryComplete(RequestOutcomeKind.ClientAborted), record);
        var exchange = new FakeExchange(http, record, cancellation.Token);
        try
        {
            await RouteAsync(exchange);
            if (!exchange.ServerAborted)
            {
                await http.Response.CompleteAsync();
                record.TryComplete(RequestOutcomeKind.Completed);
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && http.RequestAborted.IsCancellationRequested)
        {
            record.TryComplete(RequestOutcomeKind.ClientAborted);
        }
        catch (OperationCanceledException) when (serverStopping.IsCancellationRequested)
        {
            exchange.Abort();
        }
        catch (IOException)
        {
            // A failed write is the client going away.
            record.TryComplete(RequestOutcomeKind.ClientAborted);
        }
        catch (Exception ex)
        {
            // A bug in the fake: say so loudly rather than as an empty 500.
            record.TryComplete(RequestOutcomeKind.Faulted);
            await Console.Error.WriteLineAsync($"FakeLlm: {record.Method} {record.Path} failed: {ex}");
            if (!http.Response.HasStarted)
            {
                await JsonResponse.WriteAsync(http, 500, w => OpenAIErrors.WriteBody(w, "fake: handler failed: " + ex.Message, 500), CancellationToken.None);
            }
        }
    }

    private Task RouteAsync(FakeExchange exchange)
    {
        var request = exchange.Http.Request;
        var path = request.Path.Value is { Length: > 1 } p ? p.TrimEnd('/') : "/";
        return (request.Method, path) switch
        {
            ("POST", "/v1/chat/completions" or "/chat/completions") => openAIChat.HandleAsync(exchange),
            ("POST", "/v1/messages") => anthropicMessages.HandleAsync(exchange),
            ("POST", "/v1/embeddings" or "/v1/images/generations" or "/v1/moderations" or "/v1/rerank" or "/v1/audio/speech") =>
                openAIAuxiliary.HandleAsync(exchange, path),
            ("POST", "/v1/messages/count_tokens") => AnthropicMessagesEndpoint.CountTokensAsync(exchange),
            ("GET", "/v1/models" or "/models") => ModelsEndpoint.HandleAsync(exchange),
            ("GET", "/v1beta/models") => JsonResponse.WriteAsync(exchange.Http, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("models");
                w.WriteStartObject();
                w.WriteString("name", "models/fake-gemini");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }, exchange.Cancellation),
            ("POST", _) when path.StartsWith("/v1beta/models/", StringComparison.Ordinal) && path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) =>
                geminiGenerate.HandleAsync(exchange, stream: true),
            ("POST", _) when path.StartsWith("/v1beta/models/", StringComparison.Ordinal) && path.EndsWith(":generateContent", StringComparison.Ordinal) =>
                geminiGenerate.HandleAsync(exchange, stream: false),
            ("POST", "/api/chat") => ollamaChat.HandleAsync(exchange),
            ("GET", "/api/tags") => OllamaInfoEndpoints.TagsAsync(exchange),
            ("GET", "/api/version") => OllamaInfoEndpoints.VersionAsync(exchange),
            ("POST", _) when path.StartsWith("/model/", StringComparison.Ordinal) && path.EndsWith("/converse-stream", StringComparison.Ordinal) => bedrockConverse.HandleAsync(exchange),
            ("GET" or "HEAD", "/") => Task.CompletedTask,
            _ => JsonResponse.WriteAsync(exchange.Http, 404,
                w => OpenAIErrors.WriteBody(w, $"fake: no route for {request.Method} {request.Path}", 404, "not_found_error", "unknown_route"),
                exchange.Cancellation),
        };
    }
}
