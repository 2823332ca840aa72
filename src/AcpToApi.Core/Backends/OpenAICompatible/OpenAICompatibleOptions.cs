namespace AcpToApi.Backends.OpenAICompatible;

/// <summary>One OpenAI-compatible upstream: a built-in brand or an entry from the user's config file.</summary>
internal sealed record OpenAICompatibleOptions : BackendOptions
{
    public required string Prefix { get; init; }

    /// <summary>Base URL up to and including the version path; <c>/chat/completions</c> is appended.</summary>
    public required Uri BaseUrl { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The environment variable the key comes from, named in the error when it is missing.</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>False for local servers that need no key.</summary>
    public bool RequiresApiKey { get; init; } = true;

    /// <summary>OpenAI's own API wants max_completion_tokens; most compatible servers want max_tokens.</summary>
    public bool UseMaxCompletionTokens { get; init; }

    public string DisplayName => Prefix;
}
