using System.Security.Cryptography;
using System.Text;
using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.Infrastructure;

/// <summary>
/// A from-the-spec AWS Signature Version 4 computation, independent of the gateway's signer, to check
/// the <c>Authorization</c> header a recorded request carried.
/// </summary>
public static class SigV4Reference
{
    /// <summary>The Authorization header value the request should carry, recomputed from what the fake received.</summary>
    public static string ExpectedAuthorization(RecordedRequest request, string canonicalUri, string accessKey, string secretKey, string region, string service)
    {
        var authorization = request.Headers["Authorization"];
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0];
        var amzDate = request.Headers["X-Amz-Date"];
        var date = amzDate[..8];
        var canonicalHeaders = string.Concat(signedHeaders.Split(';').Select(name => name + ":" + request.Headers[name].Trim() + "\n"));
        var canonicalRequest = string.Join("\n",
            request.Method,
            canonicalUri,
            request.QueryString.TrimStart('?'),
            canonicalHeaders,
            signedHeaders,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body))));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join("\n", "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
