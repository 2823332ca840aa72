using AcpToApi.Backends;

namespace AcpToApi.Endpoints;

/// <summary>
/// The part of a Gemini URL after /v1beta/models/: "&lt;backend&gt;/&lt;model&gt;:&lt;method&gt;", where the model may hold
/// raw or %2F-encoded slashes and colons of its own (the method is after the last colon), and may repeat "models/".
/// </summary>
internal sealed record GeminiModelPath(string Model, string? Method)
{
    public static GeminiModelPath Parse(string? rawRemainder)
    {
        var decoded = Uri.UnescapeDataString(rawRemainder ?? "").Trim('/');
        string model = decoded;
        string? method = null;
        var colon = decoded.LastIndexOf(':');
        if (colon >= 0)
        {
            model = decoded[..colon];
            method = decoded[(colon + 1)..];
        }
        if (model.StartsWith("models/", StringComparison.Ordinal))
        {
            model = model["models/".Length..];
        }
        if (model.Length == 0)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest,
                "The URL names no model: use /v1beta/models/<backend>/<model>:<method>, e.g. /v1beta/models/echo/hello:generateContent.")
            {
                Param = "model",
                Code = "invalid_argument",
            };
        }
        return new GeminiModelPath(model, method);
    }

    /// <summary>The remainder as the client sent it: %2F stays encoded in <see cref="HttpRequest.Path"/>, so decode it here once.</summary>
    public static string Remainder(HttpRequest request)
    {
        const string prefix = "/v1beta/models/";
        var path = request.Path.Value ?? "";
        return path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? path[prefix.Length..] : path;
    }
}
