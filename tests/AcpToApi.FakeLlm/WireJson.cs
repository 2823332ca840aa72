using System.Text.Encodings.Web;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>How wire JSON is written: like real upstreams, quotes as <c>\"</c> and non-ASCII text unescaped.</summary>
internal static class WireJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
