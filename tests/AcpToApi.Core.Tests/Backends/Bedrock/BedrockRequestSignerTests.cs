using AcpToApi.Backends.Bedrock;

namespace AcpToApi.Tests.Backends.Bedrock;

/// <summary>Our SigV4 signer against AWS's published Signature Version 4 test suite (get-vanilla, post-vanilla).</summary>
public sealed class BedrockRequestSignerTests
{
    private static readonly BedrockOptions Credentials = new()
    {
        Region = "us-east-1",
        AccessKeyId = "AKIDEXAMPLE",
        SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    };

    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Fact]
    public void GetVanillaMatchesThePublishedSignature()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        BedrockRequestSigner.Sign(message, [], Credentials, SignedAt, "service");

        Assert.Equal("20150830T123600Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            message.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void PostVanillaMatchesThePublishedSignature()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        BedrockRequestSigner.Sign(message, [], Credentials, SignedAt, "service");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            message.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void SessionTokenIsSentAndSigned()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse-stream");

        BedrockRequestSigner.Sign(message, "{}"u8.ToArray(), Credentials with { SessionToken = "token/+=" }, SignedAt);

        Assert.Equal("token/+=", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, ", message.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ModelIdsAreEncodedTwiceInTheCanonicalPath()
    {
        var uri = new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/model/" + Uri.EscapeDataString("anthropic.claude-3-5-sonnet-20240620-v1:0") + "/converse-stream");

        Assert.Equal("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream", uri.AbsolutePath);
        Assert.Equal("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse-stream", BedrockRequestSigner.CanonicalPath(uri));
    }
}
