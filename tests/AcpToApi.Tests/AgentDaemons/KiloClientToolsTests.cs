namespace AcpToApi.Tests.AgentDaemons;

/// <summary>Client tools through the real <c>kilo serve</c> (@kilocode/cli 7.7.7).</summary>
public sealed class KiloClientToolsTests(KiloDaemonFixture fixture) : DaemonClientToolsTests(fixture), IClassFixture<KiloDaemonFixture>;
