using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpToApi.FakeLlm;

/// <summary>
/// Scripts as JSON (camelCase): read from prompt directives and <c>POST /_fake/script</c> (strictly, so typos surface),
/// written by <see cref="FakeScript.ToDirective"/>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FakeScript))]
[JsonSerializable(typeof(FakeScriptJson))]
internal sealed partial class FakeJsonContext : JsonSerializerContext
{
    /// <summary>For writing directives people read: quotes as <c>\"</c>, no <c>\u003C</c> noise.</summary>
    public static FakeJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
