using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.Configuration;

/// <summary>The optional JSON config file; every field is optional and loses to flags and environment variables.</summary>
public sealed class ConfigFile
{
    [JsonPropertyName("port")] public int? Port { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
    [JsonPropertyName("kilo")] public string? Kilo { get; set; }
    [JsonPropertyName("opencode")] public string? OpenCode { get; set; }
    [JsonPropertyName("claudeBin")] public string? ClaudeBin { get; set; }
    [JsonPropertyName("claudeTools")] public bool? ClaudeTools { get; set; }
    [JsonPropertyName("claudeAgentPrompt")] public bool? ClaudeAgentPrompt { get; set; }
    [JsonPropertyName("claudeMaxConcurrency")] public int? ClaudeMaxConcurrency { get; set; }
    [JsonPropertyName("claudeQueueTimeoutSeconds")] public double? ClaudeQueueTimeoutSeconds { get; set; }
    [JsonPropertyName("autoLaunch")] public bool? AutoLaunch { get; set; }
    [JsonPropertyName("agentPermission")] public string? AgentPermission { get; set; }
    [JsonPropertyName("apiKey")] public string? ApiKey { get; set; }
    [JsonPropertyName("anthropicModelBackend")] public string? AnthropicModelBackend { get; set; }
    [JsonPropertyName("allowRemoteWithoutKey")] public bool? AllowRemoteWithoutKey { get; set; }
    [JsonPropertyName("maxBodyBytes")] public long? MaxBodyBytes { get; set; }
    [JsonPropertyName("idleTimeoutSeconds")] public double? IdleTimeoutSeconds { get; set; }
    [JsonPropertyName("keepAliveSeconds")] public double? KeepAliveSeconds { get; set; }
    [JsonPropertyName("inlineIo")] public bool? InlineIo { get; set; }
    [JsonPropertyName("corsOrigins")] public List<string>? CorsOrigins { get; set; }
    [JsonPropertyName("logLevel")] public string? LogLevel { get; set; }
    [JsonPropertyName("providers")] public List<ProviderEntry>? Providers { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public static ConfigFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new OptionsException($"config file not found: {path}");
        }
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, ConfigJsonContext.Default.ConfigFile) ?? new ConfigFile();
        }
        catch (JsonException e)
        {
            throw new OptionsException($"config file {path} is not valid JSON: {e.Message}");
        }
    }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConfigFile))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
