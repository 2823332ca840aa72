using System.Text;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>Finds <c>[[fake {json}]]</c> in prompt text, so agents in between can be steered by the prompt.</summary>
internal static class FakeDirective
{
    private const string Opening = "[[fake";

    /// <summary>Returns the script of the first directive found, null when there is none; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static FakeScript? Find(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var start = text.IndexOf(Opening, StringComparison.Ordinal);
            if (start >= 0)
            {
                return Parse(text.AsSpan(start + Opening.Length));
            }
        }

        return null;
    }

    private static FakeScript Parse(ReadOnlySpan<char> rest)
    {
        var utf8 = Encoding.UTF8.GetBytes(rest.TrimStart().ToArray());
        try
        {
            // AllowMultipleValues lets the reader stop after the object, before the closing "]]".
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
            {
                AllowMultipleValues = true,
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            var script = FakeScriptJson.Read(ref reader);
            var tail = Encoding.UTF8.GetString(utf8.AsSpan((int)reader.BytesConsumed)).TrimStart();
            return tail.StartsWith("]]", StringComparison.Ordinal)
                ? script
                : throw new FormatException("the directive's JSON object is not followed by ']]'");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"invalid [[fake ...]] directive: {ex.Message}", ex);
        }
    }
}
