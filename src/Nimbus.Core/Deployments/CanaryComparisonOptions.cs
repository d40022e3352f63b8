namespace Nimbus.Core.Deployments;

/// <summary>
/// When a comparison may decide and what counts as worse, in the shape of Polly's circuit-breaker options:
/// nothing is judged below <see cref="MinimumThroughput"/> calls per version (Polly's MinimumThroughput), the new
/// version fails when its error rate exceeds the old one's by more than <see cref="ErrorRateTolerance"/> (Polly's
/// FailureRatio, here relative to the baseline), or when its p99 exceeds the old one's by both
/// <see cref="LatencyRatio"/> and <see cref="MinimumLatencyIncreaseMilliseconds"/>.
/// </summary>
public sealed record CanaryComparisonOptions(
    long MinimumThroughput = 100,
    double ErrorRateTolerance = 0.01,
    double LatencyRatio = 1.5,
    double MinimumLatencyIncreaseMilliseconds = 10)
{
    public static CanaryComparisonOptions Default { get; } = new();
}
