using System.Security.Cryptography;
using System.Text;
using AcpToApi.Backends;
using AcpToApi.Endpoints;

namespace AcpToApi.Security;

/// <summary>
/// When an API key is configured, every request must carry it where its protocol's clients send it:
/// Authorization: Bearer (OpenAI), x-api-key (Anthropic), x-goog-api-key or ?key= (Gemini). Compared in constant time.
/// The agents' client-tool endpoints under /mcp/ are exempt: their URLs carry 128-bit tokens of their own.
/// So is the playground page (GET /): it holds no secret, and its API calls carry the key typed into it.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string apiKey)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public Task InvokeAsync(HttpContext context)
    {
        // The agents' MCP endpoints are authorized by their unguessable URL (see McpClientToolHost), not by the clients' key.
        if (HttpMethods.IsOptions(context.Request.Method) || context.Request.Path.StartsWithSegments("/mcp")
            || IsPlaygroundPage(context.Request) || Matches(PresentedKey(context.Request)))
        {
            return next(context);
        }
        var error = new ChatBackendException(ChatErrorKind.Authentication,
            "Missing or wrong API key: this acptoapi server requires its key (Authorization: Bearer, x-api-key, x-goog-api-key or ?key=).")
        {
            Code = "invalid_api_key",
        };
        return ErrorResponses.WriteAsync(context, error);
    }

    private static bool IsPlaygroundPage(HttpRequest request) =>
        request.Path.Value == "/" && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));

    private bool Matches(string? presented)
    {
        if (presented is null)
        {
            return false;
        }
        // Hashing first makes the comparison length-independent as well as constant-time.
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(actual, _expected);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        if (request.Headers.TryGetValue("x-api-key", out var anthropicKey) && anthropicKey.Count > 0)
        {
            return anthropicKey.ToString();
        }
        if (request.Headers.TryGetValue("x-goog-api-key", out var googleKey) && googleKey.Count > 0)
        {
            return googleKey.ToString();
        }
        return request.Query.TryGetValue("key", out var queryKey) && queryKey.Count > 0 ? queryKey.ToString() : null;
    }
}
