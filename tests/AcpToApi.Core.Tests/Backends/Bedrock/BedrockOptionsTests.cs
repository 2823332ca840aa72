using AcpToApi.Backends.Bedrock;

namespace AcpToApi.Tests.Backends.Bedrock;

public sealed class BedrockOptionsTests
{
    [Fact]
    public void TheEndpointIsRegionalUnlessABaseUrlIsGiven()
    {
        Assert.Equal(new Uri("https://bedrock-runtime.eu-west-3.amazonaws.com"), new BedrockOptions { Region = "eu-west-3" }.Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:9000/"), new BedrockOptions { Region = "eu-west-3", BaseUrl = new Uri("http://127.0.0.1:9000/") }.Endpoint);
        Assert.Null(new BedrockOptions().Endpoint);
    }

    [Fact]
    public void MissingVariablesAreNamedInOrder()
    {
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"], new BedrockOptions().MissingVariables());
        Assert.Empty(new BedrockOptions { AccessKeyId = "a", SecretAccessKey = "s", Region = "r" }.MissingVariables());
    }
}
