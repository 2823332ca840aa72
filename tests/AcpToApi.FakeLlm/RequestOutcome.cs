namespace AcpToApi.FakeLlm;

/// <summary>How and when the response to a recorded request ended.</summary>
public sealed record RequestOutcome(RequestOutcomeKind Kind, DateTimeOffset At);
