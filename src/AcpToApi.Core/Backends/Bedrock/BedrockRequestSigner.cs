using System.Globalization;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace AcpToApi.Backends.Bedrock;

/// <summary>
/// Signs a Bedrock Runtime request with AWS Signature Version 4 (service <c>bedrock</c>). We build the
/// canonical request (AWSSDK.Core's signer only takes its own IRequest pipeline type); AWSSDK.Core's
/// <see cref="AWS4Signer.ComputeSignature(string, string, string, DateTime, string, string, string)"/>
/// derives the key and the signature. Path segments are URI-encoded twice, as SigV4 requires for
/// every service but S3 (a model id's <c>:</c> is <c>%3A</c> on the wire, <c>%253A</c> in the canonical form).
/// </summary>
internal static class BedrockRequestSigner
{
    public const string Service = "bedrock";

    public static void Sign(HttpRequestMessage message, byte[] body, BedrockOptions options, DateTime utcNow, string service = Service)
    {
        var uri = message.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture),
            ["x-amz-date"] = amzDate,
        };
        if (message.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }
        if (!string.IsNullOrEmpty(options.SessionToken))
        {
            headers["x-amz-security-token"] = options.SessionToken;
        }
        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = new StringBuilder()
            .Append(message.Method.Method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n')
            .AppendJoin("", headers.Select(h => h.Key + ":" + h.Value.Trim() + "\n")).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(AWS4Signer.ComputeHash(body)))
            .ToString();
        var result = AWS4Signer.ComputeSignature(options.AccessKeyId, options.SecretAccessKey, options.Region,
            utcNow, service, signedHeaders, canonicalRequest);

        message.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (!string.IsNullOrEmpty(options.SessionToken))
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Security-Token", options.SessionToken);
        }
        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>Each segment of the (already escaped) path, URI-encoded once more.</summary>
    public static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        return path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(UriEncode));
    }

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }
        return string.Join('&', query.Split('&')
            .Select(pair => pair.Split('=', 2))
            .Select(kv => (Key: UriEncode(Uri.UnescapeDataString(kv[0])), Value: kv.Length > 1 ? UriEncode(Uri.UnescapeDataString(kv[1])) : ""))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ThenBy(kv => kv.Value, StringComparer.Ordinal)
            .Select(kv => kv.Key + "=" + kv.Value));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but A-Z a-z 0-9 - _ . ~ as upper-case %XX.</summary>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
