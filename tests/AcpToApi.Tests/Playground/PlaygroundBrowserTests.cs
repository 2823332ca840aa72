using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Playground;

/// <summary>
/// The playground page (GET /) in a real browser: Debian's chromium driven by playwright-core
/// (tests/browser/playground.mjs) against the real server, through every protocol.
/// </summary>
public sealed partial class PlaygroundBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Prompt = "Paris in the spring";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ScriptDirectory => Path.Combine(TestEnvironment.RepoRoot, "tests", "browser");

    /// <summary>Screenshots are kept as test artifacts here (and attached to the test result).</summary>
    private static string ArtifactDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "playground");

    [Theory]
    [InlineData("chat", "tool_calls", "\"reasoning_content\":\"The \"")]
    [InlineData("responses", "completed", "event: response.function_call_arguments.delta")]
    [InlineData("anthropic", "tool_use", "event: content_block_delta")]
    [InlineData("gemini", "STOP", "\"thought\":true")]
    public async Task StreamsReasoningTextAndAToolCallFrameByFrame(string protocol, string finish, string rawFrameMarker)
    {
        RequireBrowser();
        await using var gateway = await GatewayServer.StartAsync();

        var page = await RunAsync(gateway, "stream", protocol, "echo/hello+think+tool+delay=200", Prompt);

        AssertPageLoadedAlone(page);
        // The suggestions are that protocol's own model list.
        Assert.Contains("echo/hello", Strings(page.GetProperty("suggestions")));
        Assert.Equal("done", page.GetProperty("state").GetString());
        Assert.Equal(["waiting", "streaming", "done"], Strings(page.GetProperty("statesInOrder")));
        Assert.Equal("200 OK", page.GetProperty("httpStatus").GetString());
        Assert.Equal("", page.GetProperty("error").GetString());

        // Frame by frame: the content pane showed part of the answer while the page still said "streaming".
        var content = page.GetProperty("content").GetString()!;
        Assert.Equal(Prompt, content);
        var partial = page.GetProperty("firstPartialContent").GetString();
        Assert.False(string.IsNullOrEmpty(partial), "the content pane never showed anything before the stream ended");
        Assert.StartsWith(partial, content, StringComparison.Ordinal);
        Assert.NotEqual(content, partial);

        Assert.Equal("The user wrote 4 words; I will echo them back.", page.GetProperty("reasoning").GetString());
        var call = Assert.Single(page.GetProperty("tools").EnumerateArray());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.StartsWith("call_echo_", call.GetProperty("id").GetString());
        Assert.Equal(Prompt, JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());

        Assert.Equal(finish, page.GetProperty("finish").GetString());
        Assert.StartsWith("in 4 · out 15", page.GetProperty("usage").GetString());
        Assert.Matches(Milliseconds(), page.GetProperty("firstFrame").GetString()!);
        Assert.Matches(Milliseconds(), page.GetProperty("total").GetString()!);
        Assert.True(page.GetProperty("frameCount").GetInt32() >= 15, "fewer frames than words");
        Assert.Contains(rawFrameMarker, page.GetProperty("raw").GetString());

        var screenshot = page.GetProperty("screenshot").GetString()!;
        Assert.True(File.Exists(screenshot), screenshot);
        TestContext.Current.AddAttachment($"playground-{protocol}.png", await File.ReadAllBytesAsync(screenshot, Ct), "image/png");
    }

    [Theory]
    [InlineData("chat", "rate_limit_error / rate_limit_exceeded", "api_error / upstream_error")]
    [InlineData("responses", "rate_limit_error / rate_limit_exceeded", "server_error")]
    [InlineData("anthropic", "rate_limit_error", "api_error")]
    [InlineData("gemini", "RESOURCE_EXHAUSTED", "UNAVAILABLE")]
    public async Task ErrorsAreShownAsTheProtocolsErrorWithTheHttpStatus(string protocol, string statusError, string inStreamError)
    {
        RequireBrowser();
        await using var gateway = await GatewayServer.StartAsync();

        var page = await RunAsync(gateway, "error", protocol, "echo/x+error=429", "echo/x+fail-after=1");

        AssertPageLoadedAlone(page);
        var runs = page.GetProperty("runs").EnumerateArray().ToArray();
        var refused = runs[0];
        Assert.Equal("error", refused.GetProperty("state").GetString());
        Assert.Equal("429 Too Many Requests", refused.GetProperty("httpStatus").GetString());
        Assert.StartsWith($"HTTP 429 Too Many Requests — {statusError}: echo: HTTP 429 error", refused.GetProperty("error").GetString());
        Assert.Contains("429", refused.GetProperty("raw").GetString());

        // After the first frame the status is 200 and the error comes as the protocol's error frame.
        var broken = runs[1];
        Assert.Equal("error", broken.GetProperty("state").GetString());
        Assert.Equal("200 OK", broken.GetProperty("httpStatus").GetString());
        Assert.Equal($"Error frame in the stream (after HTTP 200) — {inStreamError}: echo: failure after 1 words requested by the model id.",
            broken.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(broken.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task WithAnApiKeyThePageLoadsWithoutItAndStreamsOnceItIsTyped()
    {
        RequireBrowser();
        await using var gateway = await GatewayServer.StartAsync(settings: new() { ["apiKey"] = "playground-s3cret" });

        var page = await RunAsync(gateway, "apikey", "playground-s3cret", "echo/hello+think", Prompt);

        AssertPageLoadedAlone(page);
        var withoutKey = page.GetProperty("withoutKey");
        Assert.Contains("HTTP 401", withoutKey.GetProperty("modelsStatus").GetString());
        Assert.Contains("type it into the API key field", withoutKey.GetProperty("modelsStatus").GetString());
        Assert.Equal("401 Unauthorized", withoutKey.GetProperty("httpStatus").GetString());
        Assert.Contains("invalid_api_key", withoutKey.GetProperty("error").GetString());

        var withKey = page.GetProperty("withKey");
        Assert.Contains("echo/hello", Strings(withKey.GetProperty("suggestions")));
        Assert.Equal("done", withKey.GetProperty("state").GetString());
        Assert.Equal(Prompt, withKey.GetProperty("content").GetString());
        Assert.StartsWith("The user wrote 4 words", withKey.GetProperty("reasoning").GetString());
    }

    [Fact]
    public async Task StopCancelsTheRequestAndTheServerSeesTheDisconnect()
    {
        RequireBrowser();
        await using var gateway = await GatewayServer.StartAsync();
        using var http = gateway.CreateHttpClient();
        var before = await DisconnectsAsync(http);
        const string longPrompt = "one two three four five six seven eight nine ten eleven twelve";

        var page = await RunAsync(gateway, "stop", "echo/x+delay=400", longPrompt);

        AssertPageLoadedAlone(page);
        Assert.Equal("stopped", page.GetProperty("state").GetString());
        Assert.True(page.GetProperty("stopDisabled").GetBoolean());
        var shown = page.GetProperty("content").GetString()!;
        Assert.False(string.IsNullOrEmpty(shown));
        Assert.StartsWith(shown, longPrompt, StringComparison.Ordinal);
        Assert.NotEqual(longPrompt, shown);
        // The server counts the exchange as ended by the client (its cancellation reached the backend).
        var deadline = Stopwatch.StartNew();
        var after = await DisconnectsAsync(http);
        while (after <= before && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50, Ct);
            after = await DisconnectsAsync(http);
        }
        Assert.Equal(before + 1, after);
    }

    private static async Task<double> DisconnectsAsync(HttpClient http) =>
        PrometheusText.Sum(await http.GetStringAsync("/metrics", Ct), "acptoapi_client_disconnects_total");

    private static void RequireBrowser()
    {
        TestEnvironment.Require(File.Exists(Chromium), $"Debian's chromium ({Chromium})");
        TestEnvironment.Require(Directory.Exists(Path.Combine(ScriptDirectory, "node_modules", "playwright-core")),
            "the npm package 'playwright-core' (tests/browser/node_modules)");
    }

    /// <summary>The page answered 200 without errors and asked nothing of any host but the server.</summary>
    private static void AssertPageLoadedAlone(JsonElement page)
    {
        Assert.Equal(200, page.GetProperty("pageStatus").GetInt32());
        Assert.Equal("acptoapi playground", page.GetProperty("title").GetString());
        Assert.Empty(page.GetProperty("pageErrors").EnumerateArray());
        Assert.Empty(page.GetProperty("foreignRequests").EnumerateArray());
    }

    private static string?[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static async Task<JsonElement> RunAsync(GatewayServer gateway, string scenario, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = ScriptDirectory };
        foreach (var argument in (string[])["playground.mjs", scenario, gateway.BaseUrl.ToString().TrimEnd('/'), ArtifactDirectory, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        // Generous: chromium starts slowly on a loaded two-core machine.
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(3), Ct);
        Assert.True(result.ExitCode == 0, $"node playground.mjs {scenario} exited {result.ExitCode}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    [GeneratedRegex(@"^\d+ ms$")]
    private static partial Regex Milliseconds();
}
