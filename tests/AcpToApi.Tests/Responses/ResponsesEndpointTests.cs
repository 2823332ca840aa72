using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Responses;

/// <summary>/v1/responses over raw HTTP against echo: the wire as a client sees it, the store, and honest errors.</summary>
public sealed class ResponsesEndpointTests : EchoGatewayTest
{
    private async Task<JsonElement> PostJsonAsync(string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.PostAsync("/v1/responses", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task StreamedTextArrivesWordByWordAndEndsWithResponseCompleted()
    {
        using var response = await RawSse.PostAsync(Http, "/v1/responses", """{"model":"echo/x","stream":true,"input":"one two three"}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("response.created", frames[0].Event);
        Assert.Equal(["one ", "two ", "three"], frames.Where(f => f.Event == "response.output_text.delta").Select(f => f.Json.GetProperty("delta").GetString()));
        Assert.Equal("response.completed", frames[^1].Event);
        Assert.Single(frames, f => f.Event is "response.completed" or "response.incomplete" or "response.failed");
        var completed = frames[^1].Json.GetProperty("response");
        Assert.Equal("echo/x", completed.GetProperty("model").GetString());
        Assert.Equal("one two three", completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(3, completed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task AToolRoundTripWithPreviousResponseIdContinuesTheStoredConversation()
    {
        var first = await PostJsonAsync("""
            {"model":"echo/x+tool","input":"Oslo","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},{"type":"web_search"}]}
            """);
        var call = first.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "function_call");
        Assert.Equal(("get_weather", """{"city":"Oslo"}"""), (call.GetProperty("name").GetString(), call.GetProperty("arguments").GetString()));
        Assert.Equal("completed", first.GetProperty("status").GetString());

        var second = await PostJsonAsync($$"""
            {"model":"echo/x","previous_response_id":"{{first.GetProperty("id").GetString()}}",
             "input":[{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"rain, 4 C"}]}
            """);

        // Echo answers with the last tool result: the stored call and the new output reached the backend together.
        Assert.Equal("rain, 4 C", second.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("previous_response_id").GetString());
    }

    [Fact]
    public async Task StoredResponsesCanBeReadAndDeletedAndStoreFalseKeepsNothing()
    {
        var stored = await PostJsonAsync("""{"model":"echo/x","input":"keep me"}""");
        var id = stored.GetProperty("id").GetString();

        var read = await Http.GetFromJsonAsync<JsonElement>($"/v1/responses/{id}", Ct);
        Assert.Equal(stored.GetRawText(), read.GetRawText());

        using var deleted = await Http.DeleteAsync($"/v1/responses/{id}", Ct);
        var deletion = await deleted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((id, "response.deleted", true), (deletion.GetProperty("id").GetString(), deletion.GetProperty("object").GetString(), deletion.GetProperty("deleted").GetBoolean()));
        using var gone = await Http.GetAsync($"/v1/responses/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("response_not_found", (await gone.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());

        var unstored = await PostJsonAsync("""{"model":"echo/x","input":"forget me","store":false}""");
        using var never = await Http.GetAsync($"/v1/responses/{unstored.GetProperty("id").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPreviousResponseIdIsA400NeverASilentlyShortHistory()
    {
        var error = await PostJsonAsync("""{"model":"echo/x","previous_response_id":"resp_nope","input":"hi"}""", HttpStatusCode.BadRequest);

        Assert.Equal(("previous_response_id", "previous_response_not_found"),
            (error.GetProperty("error").GetProperty("param").GetString(), error.GetProperty("error").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task AnItemReferenceResolvesWhileItsResponseIsStoredAndIsA400OnceItIsDeleted()
    {
        var stored = await PostJsonAsync("""{"model":"echo/x+think","input":"hello"}""");
        var id = stored.GetProperty("id").GetString();
        var reasoningId = stored.GetProperty("output")[0].GetProperty("id").GetString();
        var referring = $$"""{"model":"echo/x","input":[{"role":"user","content":"hello"},{"type":"item_reference","id":"{{reasoningId}}"},{"role":"user","content":"again"}]}""";

        Assert.Equal("again", (await PostJsonAsync(referring)).GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        using var deleted = await Http.DeleteAsync($"/v1/responses/{id}", Ct);
        var error = (await PostJsonAsync(referring, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal(("input[1].id", "item_not_found"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task ToolTypesNoBackendRunsAreDroppedAndNamedInAHeader()
    {
        using var response = await Http.PostAsync("/v1/responses", new StringContent(
            """{"model":"echo/x","input":"hi","tools":[{"type":"web_search"},{"type":"namespace","name":"multi_agent_v1","tools":[]},{"type":"function","name":"f","parameters":{"type":"object"}}]}""",
            Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web_search, namespace:multi_agent_v1", string.Join(",", response.Headers.GetValues("X-Acptoapi-Dropped-Tools")));
    }

    [Fact]
    public async Task MaxOutputTokensEndsIncompleteAndAnErrorAfterTheFirstByteEndsFailed()
    {
        var incomplete = await PostJsonAsync("""{"model":"echo/x","input":"a b c d","max_output_tokens":2}""");
        Assert.Equal(("incomplete", "max_output_tokens"), (incomplete.GetProperty("status").GetString(),
            incomplete.GetProperty("incomplete_details").GetProperty("reason").GetString()));

        using var response = await RawSse.PostAsync(Http, "/v1/responses", """{"model":"echo/x+fail-after=2","stream":true,"input":"a b c d"}""", Ct);
        var frames = await RawSse.ReadFramesAsync(response, Ct);
        Assert.Equal("response.failed", frames[^1].Event);
        Assert.Equal("server_error", frames[^1].Json.GetProperty("response").GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(frames, f => f.Event is "response.completed" or "response.incomplete");
    }

    [Theory]
    [InlineData("echo/x+error=429", 429, "rate_limit_exceeded")]
    [InlineData("nope/x", 404, "model_not_found")]
    public async Task FailuresBeforeTheFirstByteAreOpenAIShapedErrorsWithHonestStatuses(string model, int status, string code)
    {
        var error = await PostJsonAsync($$"""{"model":"{{model}}","stream":true,"input":"hi"}""", (HttpStatusCode)status);

        Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", 404, "error.code", "unknown_url")]
    [InlineData("DELETE", "/v1/chat/completions", 405, "error.code", "method_not_allowed")]
    [InlineData("PUT", "/v1/responses", 405, "error.code", "method_not_allowed")]
    [InlineData("DELETE", "/v1beta/models/echo/x:generateContent", 405, "error.status", "INVALID_ARGUMENT")]
    [InlineData("GET", "/nothing", 404, "error.code", "unknown_url")]
    public async Task UnknownRoutesAndMethodsAnswerInTheProtocolOfThePath(string method, string path, int status, string field, string expected)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var parts = field.Split('.');
        Assert.Equal(expected, body.GetProperty(parts[0]).GetProperty(parts[1]).ToString());
    }

    [Fact]
    public async Task OneModelByIdAndAnUnknownOneIsA404()
    {
        var model = await Http.GetFromJsonAsync<JsonElement>("/v1/models/echo/hello", Ct);
        Assert.Equal(("echo/hello", "model"), (model.GetProperty("id").GetString(), model.GetProperty("object").GetString()));

        using var missing = await Http.GetAsync("/v1/models/echo/not-listed", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model_not_found", (await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task GoogleSdksModelPathWithoutModelsSegmentRoutesToTheBackend()
    {
        using var response = await Http.PostAsync("/v1beta/echo/hello:generateContent",
            new StringContent("""{"contents":[{"role":"user","parts":[{"text":"via resource name"}]}]}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("via resource name", body.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
    }
}
