using AcpToApi.Backends;

namespace AcpToApi.Hosting;

/// <summary>The lines printed at start-up: where the server listens and, per backend, where it is expected and whether it answered.</summary>
internal static class StartupReport
{
    public const string ClaudeToolsWarning =
        "WARNING: --claude-tools is ON. Every claude/ request may make Claude Code run shell commands and edit files as this server's user "
        + "(in a temporary directory per request, but commands can reach anything the user can). Anyone who can reach this server can use them. "
        + "Turn it off unless you trust every client.";

    public static async Task WriteAsync(TextWriter output, Uri address, BackendRouter router, BackendStatusCache cache, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"acptoapi {GatewayInfo.Version} listening on {address.GetLeftPart(UriPartial.Authority)}/v1 (OpenAI), /v1/messages (Anthropic), /v1beta (Gemini)");
        var registrations = router.Registrations.OrderBy(r => r.Prefix, StringComparer.Ordinal).ToList();
        var statuses = await Task.WhenAll(registrations.Select(r => cache.ProbeAsync(r, cancellationToken)));
        for (var i = 0; i < registrations.Count; i++)
        {
            var status = statuses[i];
            var state = !status.Configured ? "not configured"
                : status.Reachable ? "ready"
                : "not answering";
            var detail = string.IsNullOrEmpty(status.Detail) ? "" : $" ({status.Detail})";
            await output.WriteLineAsync($"  {registrations[i].Prefix + "/",-12} {status.Target,-40} {state}{detail}");
        }
        await output.WriteLineAsync($"Try: curl -s http://{address.Authority}/v1/chat/completions -H 'content-type: application/json' -d '{{\"model\":\"echo/hello\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi there\"}}]}}'");
    }
}
