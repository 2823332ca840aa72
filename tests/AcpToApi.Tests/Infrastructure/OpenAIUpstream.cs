using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>The environment that points the gateway's openai/ backend at a fake upstream.</summary>
public static class OpenAIUpstream
{
    public const string Key = "sk-test-key";

    public static Dictionary<string, string> Environment(FakeLlmServer fake) => new()
    {
        ["OPENAI_BASE_URL"] = new Uri(fake.BaseUrl, "v1").ToString(),
        ["OPENAI_API_KEY"] = Key,
    };
}
