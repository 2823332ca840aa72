namespace AcpToApi.Backends.ClaudeCli;

/// <summary>
/// The per-request directory: <c>work/</c> is the CLI's fresh, empty working directory and
/// <c>system-prompt.txt</c> beside it holds the system prompt. Everything is deleted on dispose.
/// </summary>
internal sealed class ClaudeSandbox : IDisposable
{
    private ClaudeSandbox(string root)
    {
        Root = root;
        WorkingDirectory = Path.Combine(root, "work");
        SystemPromptFile = Path.Combine(root, "system-prompt.txt");
    }

    public string Root { get; }

    public string WorkingDirectory { get; }

    public string SystemPromptFile { get; }

    public static ClaudeSandbox Create(string? tempRoot, string systemPrompt)
    {
        var parent = tempRoot ?? Path.GetTempPath();
        var sandbox = new ClaudeSandbox(Path.Combine(parent, "acptoapi-claude-" + Guid.NewGuid().ToString("N")[..12]));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(sandbox.WorkingDirectory);
        }
        else
        {
            // Private to the server's user: the prompt and whatever tools write there are nobody else's business.
            Directory.CreateDirectory(sandbox.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(sandbox.WorkingDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(sandbox.SystemPromptFile, systemPrompt);
        return sandbox;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still held open must not turn a finished answer into an error.
        }
    }
}
