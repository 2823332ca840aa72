using System.ClientModel;
using System.ClientModel.Primitives;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using OpenAI.Responses;

// The SDK marks its Responses client experimental; these tests are exactly where that is wanted.
#pragma warning disable OPENAI001

namespace AcpToApi.Tests.Responses;

/// <summary>
/// The OpenAI .NET SDK's <see cref="ResponsesClient"/> as the judge of /v1/responses: against echo, and against the
/// openai/ and anthropic/ backends on the fake upstream.
/// </summary>
public sealed class ResponsesDotNetSdkTests : OpenAIAndAnthropicGatewayTest
{
    private static readonly BinaryData WeatherParameters = BinaryData.FromString(
        """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private ResponsesClient Client() => new(new ApiKeyCredential("none"), new ResponsesClientOptions
    {
        Endpoint = Gateway.OpenAIEndpoint,
        RetryPolicy = new ClientRetryPolicy(0),
    });

    private static CreateResponseOptions Options(string model, params ResponseItem[] input)
    {
        var options = new CreateResponseOptions { Model = model };
        foreach (var item in input)
        {
            options.InputItems.Add(item);
        }
        return options;
    }

    private static async Task<List<StreamingResponseUpdate>> StreamAsync(ResponsesClient client, CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options, Ct))
        {
            updates.Add(update);
        }
        return updates;
    }

    [Fact]
    public async Task EchoStreamsTextDeltasInOrderAndCompletesWithUsage()
    {
        var options = Options("echo/x", ResponseItem.CreateUserMessageItem("one two three"));
        options.Instructions = "Repeat after me.";
        options.Metadata["run"] = "sdk";
        var updates = await StreamAsync(Client(), options);

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        Assert.Equal(["one ", "two ", "three"], updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta));
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal(MessageRole.Assistant, message.Role);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Completed, completed.Response.Status);
        Assert.Equal("one two three", completed.Response.GetOutputText());
        Assert.Equal("sdk", completed.Response.Metadata["run"]);
        Assert.NotEmpty(completed.Response.Instructions);
        var usage = completed.Response.Usage;
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        Assert.Equal((0, 0), (usage.InputTokenDetails.CachedTokenCount, usage.OutputTokenDetails.ReasoningTokenCount));
    }

    [Fact]
    public async Task EchoNonStreamedAnswerCanBeContinuedByPreviousResponseIdReadAndDeleted()
    {
        var client = Client();
        var tools = Options("echo/x+tool", ResponseItem.CreateUserMessageItem("Oslo"));
        tools.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false));

        ResponseResult first = await client.CreateResponseAsync(tools, Ct);
        var call = Assert.Single(first.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal(("get_weather", """{"city":"Oslo"}"""), (call.FunctionName, call.FunctionArguments.ToString()));

        var next = Options("echo/x", ResponseItem.CreateFunctionCallOutputItem(call.CallId, "rain, 4 C"));
        next.PreviousResponseId = first.Id;
        ResponseResult second = await client.CreateResponseAsync(next, Ct);

        // Echo answers with the last tool result: the stored call and the new output reached the backend together.
        Assert.Equal("rain, 4 C", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        ResponseResult read = await client.GetResponseAsync(second.Id, Ct);
        Assert.Equal("rain, 4 C", read.GetOutputText());
        ResponseDeletionResult deleted = await client.DeleteResponseAsync(second.Id, Ct);
        Assert.True(deleted.Deleted);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(second.Id, Ct));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task AnUnknownPreviousResponseIdIsA400()
    {
        var options = Options("echo/x", ResponseItem.CreateUserMessageItem("hi"));
        options.PreviousResponseId = "resp_unknown";

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options, Ct));

        Assert.Equal(400, error.Status);
        Assert.Contains("resp_unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresBeforeTheFirstByteAreHttpErrorsAndAfterItAResponseFailedUpdate()
    {
        var client = Client();
        var rateLimited = await Assert.ThrowsAsync<ClientResultException>(() => StreamAsync(client, Options("echo/x+error=429", ResponseItem.CreateUserMessageItem("hi"))));
        Assert.Equal(429, rateLimited.Status);

        var updates = await StreamAsync(client, Options("echo/x+fail-after=2", ResponseItem.CreateUserMessageItem("a b c d")));
        Assert.Equal(["a ", "b "], updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta));
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Equal(ResponseErrorCode.ServerError, failed.Response.Error.Code);
        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate or StreamingResponseIncompleteUpdate);
    }

    [Fact]
    public async Task EchoReasoningArrivesAsASummaryItemAndGoesBackWithoutStoredState()
    {
        var client = Client();
        var updates = await StreamAsync(client, Options("echo/x+think", ResponseItem.CreateUserMessageItem("think about it")));

        Assert.NotEmpty(updates.OfType<StreamingResponseReasoningSummaryTextDeltaUpdate>());
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        var reasoning = Assert.IsType<ReasoningResponseItem>(completed.OutputItems[0]);
        Assert.False(string.IsNullOrEmpty(reasoning.GetSummaryText()));
        Assert.StartsWith("acptoapi.v1:", reasoning.EncryptedContent, StringComparison.Ordinal);
        Assert.Equal("think about it", completed.GetOutputText());

        // A store:false client replays the output items itself.
        var replay = Options("echo/x", [ResponseItem.CreateUserMessageItem("think about it"), .. completed.OutputItems, ResponseItem.CreateUserMessageItem("again")]);
        replay.StoredOutputEnabled = false;
        ResponseResult second = await client.CreateResponseAsync(replay, Ct);
        Assert.Equal("again", second.GetOutputText());
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task AStreamedFunctionCallRoundTripsThroughTheUpstreamWithItsOutput(string model)
    {
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_w1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Rain", " in", " Oslo."] });
        var client = Client();
        var first = Options(model, ResponseItem.CreateUserMessageItem("Weather in Oslo?"));
        first.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false));
        first.StoredOutputEnabled = false;

        var updates = await StreamAsync(client, first);
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(u => u.Delta.ToString())));
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.OutputItems));
        Assert.Equal(("call_w1", "get_weather"), (call.CallId, call.FunctionName));

        var second = Options(model, ResponseItem.CreateUserMessageItem("Weather in Oslo?"), call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "rain, 4 C"));
        second.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false));
        second.StoredOutputEnabled = false;
        ResponseResult answer = await client.CreateResponseAsync(second, Ct);

        Assert.Equal("Rain in Oslo.", answer.GetOutputText());
        var upstream = Fake.Requests[1].Body;
        Assert.Contains("call_w1", upstream, StringComparison.Ordinal);
        Assert.Contains("rain, 4 C", upstream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicThinkingSignatureTravelsAsEncryptedContentAndGoesBackUpstreamByteForByte()
    {
        Fake.Enqueue(new FakeScript { Reasoning = ["Weighing", " it."], Signature = "sig-from-anthropic", Tokens = ["Yes."] });
        Fake.Enqueue(new FakeScript { Tokens = ["Still yes."] });
        var client = Client();
        var first = Options("anthropic/claude-sonnet-4-5", ResponseItem.CreateUserMessageItem("Is it?"));
        first.ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.Low };

        ResponseResult answer = await client.CreateResponseAsync(first, Ct);
        var reasoning = Assert.IsType<ReasoningResponseItem>(answer.OutputItems[0]);
        Assert.Equal("Weighing it.", reasoning.GetSummaryText());
        Assert.Equal("acptoapi.v1:sig-from-anthropic", reasoning.EncryptedContent);

        var replay = Options("anthropic/claude-sonnet-4-5", [ResponseItem.CreateUserMessageItem("Is it?"), .. answer.OutputItems, ResponseItem.CreateUserMessageItem("Sure?")]);
        replay.ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.Low };
        replay.StoredOutputEnabled = false;
        ResponseResult again = await client.CreateResponseAsync(replay, Ct);

        Assert.Equal("Still yes.", again.GetOutputText());
        var thinking = Fake.Requests[1].Json!.Value.GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal(("thinking", "Weighing it.", "sig-from-anthropic"),
            (thinking.GetProperty("type").GetString(), thinking.GetProperty("thinking").GetString(), thinking.GetProperty("signature").GetString()));
    }

    [Fact]
    public async Task StreamedTextReachesTheClientWhileTheUpstreamIsStillHolding()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["first", " second"], HoldAfterTokens = 1 });
        var options = Options("openai/gpt-4o", ResponseItem.CreateUserMessageItem("go"));
        options.StreamingEnabled = true;
        var stream = await Client().CreateResponseStreamingAsync(options, Ct);
        var deltas = new List<string>();

        await foreach (var update in stream)
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                deltas.Add(delta.Delta);
                if (deltas.Count == 1)
                {
                    // The first delta is here while the fake provably still holds the second.
                    Assert.Equal(1, Fake.Requests.Single().TokensSent);
                    Fake.Requests.Single().Release();
                }
            }
        }

        Assert.Equal(["first", " second"], deltas);
    }
}
