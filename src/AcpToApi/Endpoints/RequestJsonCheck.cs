using System.Text.Json;
using AcpToApi.Backends;

namespace AcpToApi.Endpoints;

/// <summary>
/// One pass over a request body before it is deserialized, for what the serializer would accept but the gateway cannot
/// use: text that is not JSON (the line and byte), a string that is not UTF-8, a string with a lone surrogate escape (<c>"\ud800"</c>: no UTF-8 for
/// it, so it can be neither read as text nor sent on) and a number beyond the range of a double (<c>1e400</c>, read as
/// infinity, which JSON cannot carry). Each is a 400 naming the field. Linear in the body.
/// </summary>
internal static class RequestJsonCheck
{
    public static ChatBackendException? Find(ReadOnlySpan<byte> body, JsonSerializerOptions options)
    {
        if (body.IsEmpty)
        {
            return NotJson("the body is empty");
        }
        // The same reader settings the serializer will use, so only real syntax errors are caught here.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            CommentHandling = options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
            MaxDepth = options.MaxDepth,
        });
        var path = new JsonPathTracker();
        try
        {
            while (reader.Read())
            {
                path.Step(ref reader);
                switch (reader.TokenType)
                {
                    case JsonTokenType.String or JsonTokenType.PropertyName when !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan):
                        return Field(path.Current(body, ofObject: reader.TokenType == JsonTokenType.PropertyName), "is not valid UTF-8 text");
                    case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped && !HasWholeCharacters(ref reader):
                        return Field(path.Current(body, ofObject: reader.TokenType == JsonTokenType.PropertyName),
                            "holds a \\u escape of a lone surrogate (half of a UTF-16 pair), which is no character");
                    case JsonTokenType.Number when !reader.TryGetDouble(out var number) || !double.IsFinite(number):
                        return Field(path.Current(body), "is a number too large to represent");
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return NotJson($"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }

    private static bool HasWholeCharacters(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static ChatBackendException NotJson(string where) =>
        new(ChatErrorKind.BadRequest, $"The request body is not valid JSON: {where}.") { Code = "invalid_json" };

    private static ChatBackendException Field(string field, string fault) =>
        new(ChatErrorKind.BadRequest, field.Length == 0 ? $"The request body {fault}." : $"The field '{field}' {fault}.")
        {
            Code = "invalid_value",
            Param = field.Length == 0 ? null : field,
        };
}
