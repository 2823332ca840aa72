using System.Text.Json;

namespace AcpToApi.Tests.Endpoints;

/// <summary>Reads an error body in the protocol its path speaks, failing the test when it is not that shape.</summary>
internal static class ProtocolError
{
    public static string Message(string path, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        if (path.StartsWith("/v1/messages", StringComparison.Ordinal))
        {
            Assert.Equal("error", root.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("error").GetProperty("type").GetString()));
            return root.GetProperty("error").GetProperty("message").GetString()!;
        }
        var error = root.GetProperty("error");
        if (path.StartsWith("/v1beta", StringComparison.Ordinal))
        {
            Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
            Assert.False(string.IsNullOrEmpty(error.GetProperty("status").GetString()));
            return error.GetProperty("message").GetString()!;
        }
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        return error.GetProperty("message").GetString()!;
    }
}
