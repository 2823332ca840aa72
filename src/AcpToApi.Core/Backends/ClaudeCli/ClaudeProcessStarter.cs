using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;
using AcpToApi.Processes;
using Microsoft.Extensions.Logging;

namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// Starts one conversation's claude process: its private directory with the system prompt file, the MCP endpoint for
/// the client's tools, a session file with earlier turns when there are any, the sandboxed argv and environment.
/// </summary>
internal sealed class ClaudeProcessStarter(ClaudeCliOptions options, IClientToolHost? toolHost, ILogger logger)
{
    public ClaudeSession Start(string executable, string model, string? systemPrompt, IReadOnlyList<ToolDefinition> tools,
        IReadOnlyList<ChatMessage>? history, Action releaseSlot)
    {
        var placement = options.ClaudePromptPlacement;
        var sandbox = ClaudeSandbox.Create(options.TempRoot, placement == ClaudePlacements.User ? "" : systemPrompt ?? "");
        ClientToolEndpoint? endpoint = null;
        var cleanup = new List<string>();
        try
        {
            if (tools.Count > 0)
            {
                endpoint = (toolHost ?? throw new InvalidOperationException("client tools need the gateway's MCP server")).Open(tools);
            }
            var environment = ClaudeEnvironment.Build(options.Environment, options.DefaultMaxRetries, options.LoopToken);
            string? resume = null;
            if (history is { Count: > 0 } && ClaudeHistoryFile.ConfigDirectory(environment) is { } configDirectory)
            {
                (resume, var folder) = ClaudeHistoryFile.Write(configDirectory, sandbox.WorkingDirectory, model, history);
                cleanup.Add(folder);
            }
            var process = ChildProcess.Start(new ChildProcessStart
            {
                Name = "claude",
                Executable = executable,
                Arguments = ClaudeArguments.Build(options, new ClaudeLaunch(model, placement, sandbox.SystemPromptFile, endpoint?.Url, resume)),
                Environment = environment,
                WorkingDirectory = sandbox.WorkingDirectory,
            }, logger);
            return new ClaudeSession(process, sandbox, endpoint, model, cleanup, releaseSlot);
        }
        catch (ChildProcessStartException e)
        {
            Undo();
            throw ClaudeErrorMapper.NotFound(executable, e.Reason);
        }
        catch
        {
            Undo();
            throw;
        }

        void Undo()
        {
            _ = endpoint?.DisposeAsync();
            foreach (var path in cleanup)
            {
                TryDeleteDirectory(path);
            }
            sandbox.Dispose();
            releaseSlot();
        }
    }

    /// <summary>Whether a history can go into a session file (the child's config directory is known).</summary>
    public bool CanResume => ClaudeHistoryFile.ConfigDirectory(ClaudeEnvironment.Build(options.Environment, options.DefaultMaxRetries)) is not null;

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
