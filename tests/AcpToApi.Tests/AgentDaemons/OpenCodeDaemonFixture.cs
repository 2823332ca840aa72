namespace AcpToApi.Tests.AgentDaemons;

public sealed class OpenCodeDaemonFixture() : AgentDaemonFixture("opencode");
