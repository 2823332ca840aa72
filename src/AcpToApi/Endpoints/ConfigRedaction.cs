using System.Text.Json;
using AcpToApi.Configuration;

namespace AcpToApi.Endpoints;

/// <summary>
/// The active configuration for /debug/config. Secrets are redacted twice over: by name (anything that
/// looks like a key, token, secret or password) and by value (any value equal to a known secret).
/// </summary>
public static class ConfigRedaction
{
    public const string Redacted = "(redacted)";

    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL", "AUTH"];

    private static readonly string[] RelevantPrefixes =
        ["ACPTOAPI_", "OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_", "GROQ_", "OPENROUTER_", "TOGETHER_", "DEEPSEEK_", "XAI_", "CEREBRAS_",
         "PERPLEXITY_", "MISTRAL_", "FIREWORKS_", "OLLAMA_", "BEDROCK_", "AWS_", "CLAUDE_", "PORT"];

    public static bool IsSecretName(string name) => SecretNameParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    public static void Write(Utf8JsonWriter w, ServerOptions options)
    {
        var secrets = options.Environment.Where(e => IsSecretName(e.Key) && e.Value.Length >= 4).Select(e => e.Value)
            .Append(options.ApiKey ?? "").Where(v => v.Length >= 4).ToHashSet(StringComparer.Ordinal);
        string Clean(string value) => secrets.Any(s => value.Contains(s, StringComparison.Ordinal)) ? Redacted : value;

        w.WriteStartObject();
        w.WriteNumber("port", options.Port);
        w.WriteString("host", options.Host);
        w.WriteString("kilo", Clean(options.KiloUrl.ToString()));
        w.WriteString("opencode", Clean(options.OpenCodeUrl.ToString()));
        w.WriteString("claudeBin", options.ClaudeBin);
        w.WriteString("apiKey", options.ApiKey is null ? null : Redacted);
        w.WriteBoolean("allowRemoteWithoutKey", options.AllowRemoteWithoutKey);
        w.WriteString("anthropicModelBackend", options.AnthropicModelBackend);
        w.WriteNumber("maxBodyBytes", options.MaxBodyBytes);
        w.WriteNumber("idleTimeoutSeconds", options.IdleTimeout.TotalSeconds);
        w.WriteNumber("keepAliveSeconds", options.KeepAliveInterval.TotalSeconds);
        w.WriteStartArray("corsOrigins");
        foreach (var origin in options.CorsOrigins) w.WriteStringValue(origin);
        w.WriteEndArray();
        w.WriteString("logLevel", options.LogLevel);
        w.WriteBoolean("inlineIo", options.InlineIo);
        // What the runtime's socket engine was told (the process-wide half of inlineIo, or the operator's own variable).
        w.WriteBoolean("inlineSocketCompletions", Environment.GetEnvironmentVariable(Hosting.InlineSocketCompletions.Variable) == "1");
        w.WriteString("configFile", options.ConfigFile);
        w.WriteStartArray("providers");
        foreach (var provider in options.Providers)
        {
            w.WriteStartObject();
            w.WriteString("prefix", provider.Prefix);
            w.WriteString("baseUrl", Clean(provider.BaseUrl));
            w.WriteString("apiKeyEnv", provider.ApiKeyEnv);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("environment");
        foreach (var (name, value) in options.Environment.Where(e => RelevantPrefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal))).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, IsSecretName(name) ? Redacted : Clean(value));
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
