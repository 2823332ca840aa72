using System.Net;
using System.Text;
using System.Text.Json;
using AcpToApi.FakeLlm;
using AcpToApi.Tests.Infrastructure;
using static AcpToApi.Tests.Gemini.GeminiHttp;

namespace AcpToApi.Tests.Gemini;

/// <summary>
/// Cross-protocol: Gemini in, the openai/ backend against the fake upstream, Gemini out. Asserts both what the
/// client got and the exact OpenAI request the fake recorded.
/// </summary>
public sealed class GeminiOverOpenAIBackendTests : FakeUpstreamGatewayTest
{
    private const string WeatherTools =
        ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Weather\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}},\"required\":[\"city\"]}}," +
        "{\"name\":\"get_time\",\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}}}}]}]";

    protected override Dictionary<string, string> Environment() => OpenAIUpstream.Environment(Fake);

    [Fact]
    public async Task FunctionCallsAnnouncedBeforeTheirArgumentsEachKeepTheirOwnArguments()
    {
        Fake.Enqueue(new FakeScript
        {
            Tokens = [],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_a"), new FakeToolCall("get_time", """{"zone":"CET"}""", "call_b")],
            AnnounceToolCallsFirst = true,
        });

        using var response = await PostAsync(Http, "/v1beta/models/openai/gpt-4o:streamGenerateContent?alt=sse", UserText("Weather and time?", WeatherTools), Ct);
        var calls = FunctionCalls(await SseChunksAsync(response, Ct));

        Assert.Equal(
            [("call_a", "get_weather", """{"city":"Oslo"}"""), ("call_b", "get_time", """{"zone":"CET"}""")],
            calls.Select(c => (c.GetProperty("id").GetString(), c.GetProperty("name").GetString(), c.GetProperty("args").GetRawText())));
    }

    [Fact]
    public async Task ReasoningParallelFunctionCallsAndUsageComeBackAsGeminiChunks()
    {
        Fake.Enqueue(new FakeScript
        {
            Reasoning = ["Let me ", "think."],
            Tokens = ["Checking."],
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_a"), new FakeToolCall("get_time", """{"zone":"CET"}""", "call_b")],
            InputTokens = 20,
            OutputTokens = 9,
        });

        using var response = await PostAsync(Http, "/v1beta/models/openai/gpt-4o:streamGenerateContent?alt=sse",
            UserText("Weather and time in Oslo?", WeatherTools + ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}"), Ct);
        var chunks = await SseChunksAsync(response, Ct);

        Assert.Equal("Let me think.", Thoughts(chunks));
        Assert.Equal(["Let me ", "think."], chunks.SelectMany(Parts).Where(p => p.TryGetProperty("thought", out _)).Select(p => p.GetProperty("text").GetString()));
        Assert.Equal("Checking.", Text(chunks));
        var calls = FunctionCalls(chunks);
        Assert.Equal(2, calls.Count);
        Assert.Equal(("call_a", "get_weather", """{"city":"Oslo"}"""), (calls[0].GetProperty("id").GetString(), calls[0].GetProperty("name").GetString(), calls[0].GetProperty("args").GetRawText()));
        Assert.Equal(("call_b", "get_time", """{"zone":"CET"}"""), (calls[1].GetProperty("id").GetString(), calls[1].GetProperty("name").GetString(), calls[1].GetProperty("args").GetRawText()));
        // Each call arrives whole, in a chunk of its own.
        Assert.Equal(2, chunks.Count(c => Parts(c).Any(p => p.TryGetProperty("functionCall", out _))));
        var last = chunks[^1];
        Assert.Equal("STOP", FinishReason(last));
        var usage = last.GetProperty("usageMetadata");
        Assert.Equal((20, 29), (usage.GetProperty("promptTokenCount").GetInt32(), usage.GetProperty("totalTokenCount").GetInt32()));
        Assert.DoesNotContain(chunks.SkipLast(1), c => c.TryGetProperty("usageMetadata", out _));

        var sent = Assert.Single(Fake.Requests).Json!.Value;
        Assert.Equal("gpt-4o", sent.GetProperty("model").GetString());
        var tools = sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function")).ToList();
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", tools[0].GetProperty("parameters").GetRawText());
        Assert.Equal("""{"type":"object","properties":{"zone":{"type":"string"}}}""", tools[1].GetProperty("parameters").GetRawText());
    }

    [Fact]
    public async Task FunctionCallRoundTripKeepsToolCallIdsConsistentAndNamesTheFunction()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["Cold", " and late."] });
        // A client that drops ids (as Gemini's own API does), with two parallel calls of which one is the same function twice.
        const string body = """
            {"systemInstruction":{"parts":[{"text":"Be terse."}]},
             "generationConfig":{"temperature":0.5,"maxOutputTokens":50,"stopSequences":["END"],"topP":0.8},
             "contents":[
               {"role":"user","parts":[{"text":"Weather in Oslo and Bergen, and the time?"}]},
               {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Oslo"}}},{"functionCall":{"name":"get_time","args":{}}},{"functionCall":{"name":"get_weather","args":{"city":"Bergen"}}}]},
               {"role":"user","parts":[
                 {"functionResponse":{"name":"get_time","response":{"output":"23:00"}}},
                 {"functionResponse":{"name":"get_weather","response":{"output":"-3 C"}}},
                 {"functionResponse":{"name":"get_weather","response":{"temp":5,"unit":"C"}}}]}
             ]
            """ + WeatherTools + "}";

        using var response = await Http.PostAsync("/v1beta/models/openai/gpt-4o:generateContent", Json(body), Ct);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Cold and late.", Text([answer]));
        var sent = Assert.Single(Fake.Requests).Json!.Value;
        Assert.Equal(0.5, sent.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.8, sent.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(50, sent.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(["END"], sent.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        var messages = sent.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "tool", "tool", "tool"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Be terse.", messages[0].GetProperty("content").GetString());
        var calls = messages[2].GetProperty("tool_calls").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Name: c.GetProperty("function").GetProperty("name").GetString()!, Args: c.GetProperty("function").GetProperty("arguments").GetString()!))
            .ToList();
        Assert.Equal(["get_weather", "get_time", "get_weather"], calls.Select(c => c.Name));
        Assert.Equal(3, calls.Select(c => c.Id).Distinct().Count());
        Assert.Equal("""{"city":"Oslo"}""", calls[0].Args);
        var results = messages.Skip(3).Select(m => (Id: m.GetProperty("tool_call_id").GetString(), Content: m.GetProperty("content").GetString())).ToList();
        // Each functionResponse answers the call of its name, in order: the name picked the id.
        Assert.Equal([(calls[1].Id, "23:00"), (calls[0].Id, "-3 C"), (calls[2].Id, """{"temp":5,"unit":"C"}""")], results);
    }

    [Fact]
    public async Task IdsTheGatewayHandedOutComeBackAsTheSameToolCallIds()
    {
        Fake.Enqueue(new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("get_weather", """{"city":"Oslo"}""", "call_up_1")] });
        Fake.Enqueue(new FakeScript { Tokens = ["Cold."] });

        using var first = await Http.PostAsync("/v1beta/models/openai/gpt-4o:generateContent", Json(UserText("Weather in Oslo?", WeatherTools)), Ct);
        var turn = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct)).RootElement;
        var call = FunctionCalls([turn]).Single();
        Assert.Equal("STOP", FinishReason(turn)); // Gemini has no tool-use finish reason
        var modelContent = turn.GetProperty("candidates")[0].GetProperty("content").GetRawText();
        var second = """{"contents":[{"role":"user","parts":[{"text":"Weather in Oslo?"}]},""" + modelContent +
            """,{"role":"user","parts":[{"functionResponse":{"id":""" + JsonSerializer.Serialize(call.GetProperty("id").GetString()) +
            ""","name":"get_weather","response":{"output":"-3 C"}}}]}]""" + WeatherTools + "}";
        using var answer = await Http.PostAsync("/v1beta/models/openai/gpt-4o:generateContent", Json(second), Ct);

        Assert.Equal("Cold.", Text([JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct)).RootElement]));
        var messages = Fake.Requests[1].Json!.Value.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("call_up_1", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("call_up_1", messages[2].GetProperty("tool_call_id").GetString());
    }

    [Theory]
    [InlineData("stop", "STOP")]
    [InlineData("length", "MAX_TOKENS")]
    [InlineData("tool_calls", "STOP")]
    [InlineData("content_filter", "SAFETY")]
    public async Task EveryUpstreamFinishReasonMapsToGemini(string upstream, string expected)
    {
        Fake.Enqueue(new FakeScript { Tokens = ["x"], FinishReason = upstream });
        Fake.Enqueue(new FakeScript { Tokens = ["x"], FinishReason = upstream });

        using var streamed = await PostAsync(Http, "/v1beta/models/openai/m:streamGenerateContent", UserText("go"), Ct);
        var (_, elements) = await ArrayChunksAsync(streamed, Ct);
        using var whole = await Http.PostAsync("/v1beta/models/openai/m:generateContent", Json(UserText("go")), Ct);

        Assert.Equal(expected, FinishReason(elements[^1]));
        Assert.Equal(expected, FinishReason(JsonDocument.Parse(await whole.Content.ReadAsStringAsync(Ct)).RootElement));
    }

    [Theory]
    [InlineData(429, 429, "RESOURCE_EXHAUSTED")]
    [InlineData(500, 502, "UNAVAILABLE")]
    [InlineData(401, 401, "UNAUTHENTICATED")]
    [InlineData(400, 400, "INVALID_ARGUMENT")]
    [InlineData(503, 503, "UNAVAILABLE")]
    public async Task UpstreamErrorsBeforeTheFirstByteAreRealStatusesInGeminiShape(int upstream, int status, string googleStatus)
    {
        Fake.Enqueue(new FakeScript { Status = upstream, ErrorMessage = "upstream says no", RetryAfterSeconds = upstream == 429 ? 7 : null });

        using var response = await PostAsync(Http, "/v1beta/models/openai/m:streamGenerateContent?alt=sse", UserText("hi"), Ct);

        var error = await ErrorAsync(response, status, googleStatus, Ct);
        Assert.Contains("upstream says no", error.GetProperty("message").GetString());
        if (upstream == 429)
        {
            Assert.Equal("7", response.Headers.RetryAfter?.ToString());
        }
    }

    [Fact]
    public async Task UpstreamErrorAfterTheFirstByteEndsTheSseStreamWithAGeminiError()
    {
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c", "d"], ErrorAfterTokens = 2, ErrorMessage = "boom" });

        using var response = await PostAsync(Http, "/v1beta/models/openai/m:streamGenerateContent?alt=sse", UserText("go"), Ct);
        var chunks = await SseChunksAsync(response, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ab", Text(chunks));
        var error = chunks[^1].GetProperty("error");
        Assert.Contains("boom", error.GetProperty("message").GetString());
        Assert.DoesNotContain(chunks, c => FinishReason(c) is not null);
    }

    [Fact]
    public async Task UpstreamErrorAfterTheFirstByteIsTheLastElementOfAValidJsonArray()
    {
        // Cut only once the client has the first element, so "a" has surely left the fake before the connection goes.
        Fake.Enqueue(new FakeScript { Tokens = ["a", "b", "c"], HoldAfterTokens = 1, AbortAfterTokens = 1 });

        using var response = await PostAsync(Http, "/v1beta/models/openai/m:streamGenerateContent", UserText("go"), Ct);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var received = new StringBuilder();
        await ReadUntilAsync(stream, received, "\"text\":\"a\"", "the first element reaching the client");
        Assert.Single(Fake.Requests).Release();
        await ReadUntilAsync(stream, received, null, "the end of the array");
        var elements = JsonDocument.Parse(received.ToString()).RootElement.EnumerateArray().ToList();

        Assert.Equal("a", Text(elements));
        Assert.True(elements[^1].TryGetProperty("error", out var error), "the array must end with an error element");
        Assert.Equal(502, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ChunksReachTheClientWhileTheUpstreamHoldsItsNextTokenOneChunkEach()
    {
        var tokens = Enumerable.Range(0, 10).Select(i => $" t{i}").ToArray();
        Fake.Enqueue(new FakeScript { Tokens = tokens, HoldAfterTokens = 3 });

        using var response = await PostAsync(Http, "/v1beta/models/openai/m:streamGenerateContent?alt=sse", UserText("count"), Ct);
        using var reader = await SseReader.OpenAsync(response, Ct);
        var (held, frames) = await reader.ReadWhileHoldingAsync(f => Text([f.Json]) == tokens[2], () => Assert.Single(Fake.Requests), "the third chunk reaching the client");

        Assert.Equal(tokens[..3], held.Select(f => Text([f.Json])));
        Assert.Equal(tokens, frames.SkipLast(1).Select(f => Text([f.Json]))); // one chunk per upstream delta
    }
}
