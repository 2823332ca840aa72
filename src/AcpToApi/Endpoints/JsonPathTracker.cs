using System.Text;
using System.Text.Json;

namespace AcpToApi.Endpoints;

/// <summary>
/// Follows a <see cref="Utf8JsonReader"/> through a document so a fault can be named by its field
/// (<c>messages[2].content</c>). Property names are kept as offsets and decoded only when a path is asked for.
/// </summary>
internal sealed class JsonPathTracker
{
    private readonly List<Frame> _frames = [];

    /// <summary>Call after every <see cref="Utf8JsonReader.Read"/>.</summary>
    public void Step(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _frames[^1] = _frames[^1] with { NameStart = (int)reader.TokenStartIndex };
                return;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                return;
            case JsonTokenType.Comment or JsonTokenType.None:
                return;
        }
        if (_frames.Count > 0 && _frames[^1].IsArray)
        {
            _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
        }
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, -1));
        }
    }

    /// <summary>The path of the current value (<paramref name="body"/> is the document being read); empty at the top.</summary>
    /// <param name="ofObject">Stop at the object that holds the current property (its name may be what is at fault).</param>
    public string Current(ReadOnlySpan<byte> body, bool ofObject = false)
    {
        var path = new StringBuilder();
        for (var i = 0; i < _frames.Count; i++)
        {
            var frame = _frames[i];
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.NameStart >= 0 && !(ofObject && i == _frames.Count - 1))
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }
                path.Append(NameAt(body, frame.NameStart));
            }
        }
        return path.ToString();
    }

    private static string NameAt(ReadOnlySpan<byte> body, int start)
    {
        var reader = new Utf8JsonReader(body[start..]);
        try
        {
            return reader.Read() ? reader.GetString() ?? "?" : "?";
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            return "?";
        }
    }

    private readonly record struct Frame(bool IsArray, int Index, int NameStart);
}
