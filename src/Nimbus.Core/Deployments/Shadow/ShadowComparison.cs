namespace Nimbus.Core.Deployments.Shadow;

/// <summary>The verdict on one shadow copy; <see cref="LatencyDeltaMs"/> is the shadow's latency minus the live call's.</summary>
public sealed record ShadowComparison(ShadowDifference Difference, double LatencyDeltaMs);
