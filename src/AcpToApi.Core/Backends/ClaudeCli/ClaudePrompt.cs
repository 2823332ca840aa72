namespace AcpToApi.Backends.ClaudeCli;

/// <summary>What one run gets: the single stream-json stdin line and the text of the system prompt file.</summary>
public sealed record ClaudePrompt(string StdinLine, string SystemPrompt);
