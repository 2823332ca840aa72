using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AcpToApi.Backends;
using Microsoft.AspNetCore.Http.Features;

namespace AcpToApi.Endpoints;

/// <summary>Reads a JSON request body; malformed or wrong-typed JSON is a 400, an oversized body a 413.</summary>
public static class RequestJson
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo) where T : class
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            // The unread body stays on the connection, so tell the client not to reuse it.
            context.Response.Headers.Connection = "close";
            throw TooLarge(max);
        }
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted)
                ?? throw new ChatBackendException(ChatErrorKind.BadRequest, "The request body must be a JSON object.") { Code = "invalid_json" };
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            throw new ChatBackendException(ChatErrorKind.BadRequest, $"The request body is not valid JSON for this endpoint{where}: {FirstSentence(e.Message)}", e)
            {
                Code = "invalid_json",
                // Only a value of the wrong type pins the fault on one field; truncated JSON does not.
                Param = string.IsNullOrEmpty(e.Path) || e.Path == "$" || !e.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? null
                    : e.Path.TrimStart('$', '.'),
            };
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Headers.Connection = "close";
            throw TooLarge(limit ?? 0);
        }
    }

    private static ChatBackendException TooLarge(long limit) =>
        new(ChatErrorKind.RequestTooLarge, $"The request body is larger than the server's limit of {limit} bytes (see --max-body-bytes).")
        {
            Code = "request_too_large",
        };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
