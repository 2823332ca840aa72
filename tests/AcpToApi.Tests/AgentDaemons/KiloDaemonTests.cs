using AcpToApi.FakeLlm;

namespace AcpToApi.Tests.AgentDaemons;

/// <summary>The real <c>kilo serve</c> (@kilocode/cli 7.7.7) behind the gateway.</summary>
public sealed class KiloDaemonTests(KiloDaemonFixture fixture) : AgentDaemonTests(fixture), IClassFixture<KiloDaemonFixture>
{
    // Kilo asks before running a destructive shell command.
    protected override (FakeScript Script, string Tool) PermissionScript => (
        new FakeScript { Tokens = [], ToolCalls = [new FakeToolCall("bash", """{"command":"rm -rf marker.txt","description":"Remove the marker"}""", "call_perm_1")] },
        "bash");
}
