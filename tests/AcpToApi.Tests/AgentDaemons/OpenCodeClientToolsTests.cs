namespace AcpToApi.Tests.AgentDaemons;

/// <summary>Client tools through the real <c>opencode serve</c> (opencode-ai 1.18.33).</summary>
public sealed class OpenCodeClientToolsTests(OpenCodeDaemonFixture fixture) : DaemonClientToolsTests(fixture), IClassFixture<OpenCodeDaemonFixture>;
