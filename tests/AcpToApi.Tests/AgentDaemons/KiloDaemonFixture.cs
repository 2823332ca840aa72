namespace AcpToApi.Tests.AgentDaemons;

public sealed class KiloDaemonFixture() : AgentDaemonFixture("kilo");
