using System.Diagnostics;
using System.Text.RegularExpressions;
using AcpToApi.Hosting;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// The real program as users start it (Program.Main, its own process): the path the in-process tests skip, where
/// <c>--inline-io</c> also switches the runtime's socket engine to inline completions.
/// </summary>
public sealed partial class ServerProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task TheProgramStartsAndStreams(string? inlineIo)
    {
        string[] extra = inlineIo is null ? [] : ["--inline-io", inlineIo];
        var dll = Path.Combine(AppContext.BaseDirectory, "acptoapi.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--port", "0", "--log-level", "Warning" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }
        // Only the program may turn the runtime's inline completions on here, not a value inherited from the test run.
        start.Environment.Remove(InlineSocketCompletions.Variable);
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            Uri? address = null;
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            startup.CancelAfter(TimeSpan.FromSeconds(60));
            while (address is null && await process.StandardOutput.ReadLineAsync(startup.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    address = new Uri(match.Groups[1].Value);
                }
            }
            Assert.True(address is not null, "no 'listening on' line; stderr: " + (process.HasExited ? await stderr : "(running)"));
            _ = process.StandardOutput.ReadToEndAsync(Ct);

            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            using var response = await RawSse.PostAsync(http, "/v1/chat/completions",
                """{"model":"echo/delay=10","stream":true,"messages":[{"role":"user","content":"real process here"}]}""", Ct);
            var frames = await RawSse.ReadFramesAsync(response, Ct);

            Assert.Equal("real process here", RawSse.Content(frames));
            Assert.Equal("[DONE]", frames[^1].Data);
            var config = await http.GetStringAsync("/debug/config", Ct);
            var on = extra.Length == 0 ? "true" : "false";
            Assert.Contains($"\"inlineIo\":{on}", config, StringComparison.Ordinal);
            Assert.Contains($"\"inlineSocketCompletions\":{on}", config, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
