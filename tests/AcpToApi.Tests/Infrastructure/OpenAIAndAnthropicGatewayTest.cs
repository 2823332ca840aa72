namespace AcpToApi.Tests.Infrastructure;

/// <summary>A <see cref="FakeUpstreamGatewayTest"/> whose gateway sends both openai/ and anthropic/ to the fake, so one client run can be judged against either.</summary>
public abstract class OpenAIAndAnthropicGatewayTest : FakeUpstreamGatewayTest
{
    protected override Dictionary<string, string> Environment() => new(OpenAIUpstream.Environment(Fake))
    {
        ["ANTHROPIC_BASE_URL"] = FakeRoot,
        ["ANTHROPIC_API_KEY"] = "sk-ant-test",
    };
}
