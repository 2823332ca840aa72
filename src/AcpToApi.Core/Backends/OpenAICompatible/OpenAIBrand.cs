namespace AcpToApi.Backends.OpenAICompatible;

/// <summary>A built-in OpenAI-compatible provider: just a pre-filled config entry.</summary>
internal sealed record OpenAIBrand(string Prefix, string DefaultBaseUrl, string KeyVariable, string BaseUrlVariable, bool UseMaxCompletionTokens = false)
{
    /// <summary>The ten brands of the product page, each with its users' usual environment variables.</summary>
    public static readonly IReadOnlyList<OpenAIBrand> All =
    [
        new("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "OPENAI_BASE_URL", UseMaxCompletionTokens: true),
        new("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", "GROQ_BASE_URL"),
        new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"),
        new("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY", "TOGETHER_BASE_URL"),
        new("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL"),
        new("xai", "https://api.x.ai/v1", "XAI_API_KEY", "XAI_BASE_URL"),
        new("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", "CEREBRAS_BASE_URL"),
        new("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY", "PERPLEXITY_BASE_URL"),
        new("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", "MISTRAL_BASE_URL"),
        new("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY", "FIREWORKS_BASE_URL"),
    ];
}
