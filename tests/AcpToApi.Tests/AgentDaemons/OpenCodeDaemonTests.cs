using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>The real <c>opencode serve</c> (opencode-ai 1.18.33) behind the gateway.</summary>
public sealed class OpenCodeDaemonTests(OpenCodeDaemonFixture fixture) : AgentDaemonTests(fixture), IClassFixture<OpenCodeDaemonFixture>
{
    // Reading outside the project directory needs the external_directory permission.
    protected override (FakeScript Script, string Tool) PermissionScript => (
        new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("read", """{"filePath":"/etc/hostname"}""", "call_perm_1")] },
        "read");
}
