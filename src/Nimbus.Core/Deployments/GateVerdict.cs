namespace Nimbus.Core.Deployments;

/// <summary>Whether a gate lets a deployment start, and why.</summary>
public sealed record GateVerdict(bool Open, string Reason);
