using Nimbus.Core.Invocations;

namespace Nimbus.Core.Deployments.Shadow;

/// <summary>What one side of a shadow comparison answered: how it ended, its error type, its body and how long it took.</summary>
public sealed record ShadowOutcome(InvocationOutcome Outcome, string? ErrorType, ReadOnlyMemory<byte> Body, double LatencyMs);
