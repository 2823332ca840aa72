namespace AcpToApi.FakeLlm;

/// <summary>A tool call the fake asks the client to run. <paramref name="Id"/> is generated when null.</summary>
public sealed record FakeToolCall(string Name, string ArgumentsJson, string? Id = null);
