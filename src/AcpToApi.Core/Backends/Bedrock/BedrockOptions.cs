namespace AcpToApi.Backends.Bedrock;

internal sealed record BedrockOptions : BackendOptions
{
    /// <summary>BEDROCK_BASE_URL; when null the regional endpoint <c>https://bedrock-runtime.{region}.amazonaws.com</c>.</summary>
    public Uri? BaseUrl { get; init; }

    public string? Region { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? SessionToken { get; init; }

    /// <summary>The endpoint requests go to, or null when neither a base URL nor a region is known.</summary>
    public Uri? Endpoint => BaseUrl ?? (Region is { Length: > 0 } region ? new Uri($"https://bedrock-runtime.{region}.amazonaws.com") : null);

    /// <summary>The variables that must still be set before a request can be signed.</summary>
    public IReadOnlyList<string> MissingVariables()
    {
        var missing = new List<string>();
        if (string.IsNullOrEmpty(AccessKeyId)) missing.Add("AWS_ACCESS_KEY_ID");
        if (string.IsNullOrEmpty(SecretAccessKey)) missing.Add("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(Region)) missing.Add("AWS_REGION");
        return missing;
    }
}
