using System.CommandLine;

namespace AcpToApi.Configuration;

/// <summary>The acptoapi command line; every flag also has an environment variable and a config-file key.</summary>
public static class CommandLine
{
    public static RootCommand Build(Func<CommandLineFlags, CancellationToken, Task<int>> run)
    {
        var port = new Option<int?>("--port", "-p") { Description = $"Port to listen on (default 4800) [env {EnvironmentVariables.Port}]" };
        var host = new Option<string?>("--host") { Description = $"Address to bind (default 127.0.0.1) [env {EnvironmentVariables.Host}]" };
        var kilo = new Option<string?>("--kilo") { Description = $"Kilo Code serve URL (default http://127.0.0.1:4780) [env {EnvironmentVariables.Kilo}]" };
        var opencode = new Option<string?>("--opencode") { Description = $"opencode serve URL (default http://127.0.0.1:4790) [env {EnvironmentVariables.OpenCode}]" };
        var claudeBin = new Option<string?>("--claude-bin") { Description = $"Claude Code CLI to run (default: claude on PATH) [env {EnvironmentVariables.ClaudeBin}]" };
        var claudeTools = new Option<bool?>("--claude-tools") { Description = $"DANGER: let Claude Code run its own tools (Bash, Edit, …) in a temporary directory per request (default off) [env {EnvironmentVariables.ClaudeTools}]" };
        var claudeAgentPrompt = new Option<bool?>("--claude-agent-prompt") { Description = $"Keep Claude Code's agent prompt; append the client's system message to it (default off: the client's replaces it) [env {EnvironmentVariables.ClaudeAgentPrompt}]" };
        var claudeMaxConcurrency = new Option<int?>("--claude-max-concurrency") { Description = $"Most claude processes at once (default 4) [env {EnvironmentVariables.ClaudeMaxConcurrency}]" };
        var claudeQueueTimeout = new Option<double?>("--claude-queue-timeout") { Description = $"Seconds a request waits for a free claude slot before 429 (default 5) [env {EnvironmentVariables.ClaudeQueueTimeout}]" };
        var anthropicModelBackend = new Option<string?>("--anthropic-model-backend") { Description = $"Backend for bare claude-* model names sent to /v1/messages (default claude) [env {EnvironmentVariables.AnthropicModelBackend}]" };
        var autoLaunch = new Option<bool?>("--auto-launch") { Description = $"Start `kilo serve` / `opencode serve` (from PATH) when they do not answer; stop them on exit [env {EnvironmentVariables.AutoLaunch}]" };
        var agentPermission = new Option<string?>("--agent-permission") { Description = $"Answer to kilo/opencode permission requests: reject (default), once or always [env {EnvironmentVariables.AgentPermission}]" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require this key from every client [env {EnvironmentVariables.ApiKey}]" };
        var allowRemote = new Option<bool?>("--allow-remote-without-key") { Description = $"Allow a non-loopback --host without --api-key [env {EnvironmentVariables.AllowRemoteWithoutKey}]" };
        var maxBody = new Option<long?>("--max-body-bytes") { Description = $"Largest accepted request body (default 33554432) [env {EnvironmentVariables.MaxBodyBytes}]" };
        var idle = new Option<double?>("--idle-timeout") { Description = $"Seconds a backend may stay silent mid-response (default 120) [env {EnvironmentVariables.IdleTimeout}]" };
        var keepAlive = new Option<double?>("--keep-alive") { Description = $"Seconds of backend silence before a streaming client gets a keep-alive (default 10) [env {EnvironmentVariables.KeepAlive}]" };
        var cors = new Option<string[]>("--cors-origin") { Description = $"Browser origin allowed by CORS; repeatable [env {EnvironmentVariables.CorsOrigins}, comma-separated]", AllowMultipleArgumentsPerToken = false };
        var logLevel = new Option<string?>("--log-level") { Description = $"Trace, Debug, Information, Warning, Error (default Information) [env {EnvironmentVariables.LogLevel}]" };
        var inlineIo = new Option<bool?>("--inline-io") { Description = $"Handle requests on the socket threads instead of the thread pool: fewer thread switches (default true; false if a backend's work stalls other connections) [env {EnvironmentVariables.InlineIo}]" };
        var config = new Option<string?>("--config") { Description = $"Optional JSON config file [env {EnvironmentVariables.Config}]" };

        var root = new RootCommand("acptoapi: an OpenAI-, Anthropic- and Gemini-compatible gateway to Kilo Code, opencode, Claude Code and direct APIs.")
        {
            port, host, kilo, opencode, claudeBin, claudeTools, claudeAgentPrompt, claudeMaxConcurrency, claudeQueueTimeout, autoLaunch, agentPermission, anthropicModelBackend, apiKey, allowRemote, maxBody, idle, keepAlive, cors, logLevel, inlineIo, config,
        };
        root.SetAction((result, cancellationToken) => run(new CommandLineFlags
        {
            Port = result.GetValue(port),
            Host = result.GetValue(host),
            Kilo = result.GetValue(kilo),
            OpenCode = result.GetValue(opencode),
            ClaudeBin = result.GetValue(claudeBin),
            ClaudeTools = result.GetValue(claudeTools),
            ClaudeAgentPrompt = result.GetValue(claudeAgentPrompt),
            ClaudeMaxConcurrency = result.GetValue(claudeMaxConcurrency),
            ClaudeQueueTimeoutSeconds = result.GetValue(claudeQueueTimeout),
            AutoLaunch = result.GetValue(autoLaunch),
            AgentPermission = result.GetValue(agentPermission),
            ApiKey = result.GetValue(apiKey),
            AnthropicModelBackend = result.GetValue(anthropicModelBackend),
            AllowRemoteWithoutKey = result.GetValue(allowRemote),
            MaxBodyBytes = result.GetValue(maxBody),
            IdleTimeoutSeconds = result.GetValue(idle),
            KeepAliveSeconds = result.GetValue(keepAlive),
            CorsOrigins = result.GetValue(cors),
            LogLevel = result.GetValue(logLevel),
            InlineIo = result.GetValue(inlineIo),
            ConfigFile = result.GetValue(config),
        }, cancellationToken));
        return root;
    }
}
