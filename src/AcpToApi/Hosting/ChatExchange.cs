using System.Diagnostics;
using System.Text.Json;
using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Conversation;
using AcpToApi.Endpoints;
using AcpToApi.Metrics;
using AcpToApi.Protocols;
using AcpToApi.Streaming;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.Hosting;

/// <summary>
/// Runs one chat exchange for any client protocol: route, pull the backend's events, and either stream
/// them frame by frame (flushing each) or fold them into one response. Failures before the first byte
/// become the protocol's error with an honest status; after it, the protocol's in-band error.
/// </summary>
internal sealed class ChatExchange(BackendRouter router, ServerOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<ChatExchange> logger,
    IHostApplicationLifetime lifetime)
{
    /// <summary>The status logged for a client that left before the response began (nginx's "client closed request").</summary>
    public const int ClientClosedRequest = 499;

    public async Task RunAsync(HttpContext context, ChatRequest request, IExchangeRenderer renderer)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = context.TraceIdentifier;
        // The backend's work ends when the client leaves or the server begins to shut down, whichever comes first.
        using var work = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = work.Token;
        var backendName = "-";
        IProtocolStreamWriter? streamWriter = null;
        var ttfb = double.NaN;
        ChatUsage? usage = null;
        var outcome = "completed";
        metrics.ExchangeStarted(renderer.Protocol);

        try
        {
            var routed = router.Route(request.Model);
            backendName = routed.Registration.Prefix;
            if (logger.IsEnabled(LogLevel.Trace))
            {
                GatewayLog.Prompt(logger, requestId, request.LastUserText);
            }

            var events = routed.Registration.Backend.StreamAsync(request with { Model = routed.BackendModel }, cancellationToken);
            await using var enumerator = events.GetAsyncEnumerator(cancellationToken);

            if (!request.Stream)
            {
                var aggregator = new ChatResponseAggregator();
                while (await enumerator.MoveNextAsync())
                {
                    aggregator.Add(enumerator.Current);
                }
                if (!aggregator.Completed)
                {
                    throw IncompleteStream(backendName);
                }
                var response = aggregator.ToResponse();
                usage = response.Usage;
                // Rendered first, so the response has a Content-Length and leaves in one write: headers and body
                // together, no chunked framing and no separate end-of-body chunk.
                var body = WireJson.ToBytes(json => renderer.WriteResponse(json, response));
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = body.Length;
                ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                await context.Response.BodyWriter.WriteAsync(body, cancellationToken);
                return;
            }

            var output = context.Response.BodyWriter;
            var held = new List<ChatEvent>();
            await using (var keepAlive = new KeepAlive(options.KeepAliveInterval, time, cancellationToken))
            {
                while (await enumerator.MoveNextAsync())
                {
                    var chatEvent = enumerator.Current;
                    if (chatEvent is UsageReported reported)
                    {
                        usage = reported.Usage;
                    }
                    if (streamWriter is null)
                    {
                        // Headers go out only with the first content (or the end), so a backend that fails before
                        // producing anything still gets a real HTTP status instead of an in-band error.
                        if (chatEvent is ResponseStarted or Heartbeat or UsageReported)
                        {
                            held.Add(chatEvent);
                            continue;
                        }
                        StartStream(context, renderer);
                        streamWriter = renderer.CreateStreamWriter();
                        foreach (var early in held)
                        {
                            streamWriter.Write(early, output);
                        }
                        keepAlive.Start(streamWriter, output);
                    }
                    await keepAlive.EnterAsync();
                    var wrote = false;
                    try
                    {
                        wrote = streamWriter.Write(chatEvent, output);
                        if (wrote)
                        {
                            await output.FlushAsync(cancellationToken);
                        }
                    }
                    finally
                    {
                        keepAlive.Exit(wrote);
                    }
                    if (wrote && double.IsNaN(ttfb))
                    {
                        ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }
            }
            if (streamWriter is null || !streamWriter.Completed)
            {
                throw IncompleteStream(backendName);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChatBackendException && lifetime.ApplicationStopping.IsCancellationRequested
            && !context.RequestAborted.IsCancellationRequested)
        {
            // Shutting down: the backend's work was stopped; the client still gets an honest end in its protocol.
            outcome = "shutdown";
            await WriteFailureAsync(context, renderer, streamWriter, ShuttingDown());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: a normal end. Disposing the enumerator cancelled the backend's work.
            outcome = "client_disconnected";
        }
        catch (ChatBackendException error)
        {
            outcome = "error:" + error.Kind;
            GatewayLog.BackendFailed(logger, requestId, renderer.Protocol, request.Model, backendName, error.Kind.ToString(), error.Message);
            await WriteFailureAsync(context, renderer, streamWriter, error);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "error:Internal";
            GatewayLog.Unexpected(logger, requestId, e);
            await WriteFailureAsync(context, renderer, streamWriter,
                UnhandledFailures.Internal(requestId, e));
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? ClientClosedRequest : context.Response.StatusCode;
            metrics.ExchangeEnded(renderer.Protocol, backendName, status, request.Stream, ttfb,
                Stopwatch.GetElapsedTime(started).TotalSeconds, usage, outcome);
            GatewayLog.RequestCompleted(logger, requestId, renderer.Protocol, request.Model, backendName, status, request.Stream,
                ttfb, Stopwatch.GetElapsedTime(started).TotalMilliseconds, usage?.InputTokens, usage?.OutputTokens, outcome);
        }
    }

    private static void StartStream(HttpContext context, IExchangeRenderer renderer)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = renderer.StreamContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static async Task WriteFailureAsync(HttpContext context, IExchangeRenderer renderer, IProtocolStreamWriter? streamWriter, ChatBackendException error)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        try
        {
            if (streamWriter is null && !context.Response.HasStarted)
            {
                await ErrorResponses.WriteAsync(context, error, renderer.Errors);
                return;
            }
            if (streamWriter is not null)
            {
                streamWriter.WriteError(error, context.Response.BodyWriter);
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client left while we reported the failure; nothing more to do.
        }
    }

    private static ChatBackendException ShuttingDown() =>
        new(ChatErrorKind.Unavailable, "acptoapi is shutting down; the response was stopped. Retry when the server is back.") { Code = "server_shutting_down" };

    private static ChatBackendException IncompleteStream(string backend) =>
        new(ChatErrorKind.UpstreamError, $"The {backend} backend ended the response before it was complete.");
}
