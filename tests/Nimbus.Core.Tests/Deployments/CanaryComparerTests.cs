using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class CanaryComparerTests
{
    [Fact]
    public void Compare_FewerCallsThanTheMinimum_IsInconclusiveEvenWhenEveryCallFailed()
    {
        var verdict = CanaryComparer.Compare(new(99, 99, 5000), new(1000, 0, 50), CanaryComparisonOptions.Default);

        Assert.Equal(CanaryVerdictKind.Inconclusive, verdict.Kind);
        Assert.Equal("too few calls to compare: new 99, old 1000, need 100 each", verdict.Reason);
    }

    [Fact]
    public void Compare_BaselineWithTooFewCalls_IsInconclusive()
    {
        Assert.Equal(CanaryVerdictKind.Inconclusive, CanaryComparer.Compare(new(1000, 0, 50), new(10, 0, 50), CanaryComparisonOptions.Default).Kind);
    }

    [Fact]
    public void Compare_ErrorRateAboveBaselinePlusTolerance_IsUnhealthy()
    {
        var verdict = CanaryComparer.Compare(new(200, 5, 50), new(1000, 10, 50), CanaryComparisonOptions.Default);

        Assert.Equal(CanaryVerdictKind.Unhealthy, verdict.Kind);
        Assert.Equal("error rate 2.5% on the new version against 1% on the old (5/200 vs 10/1000)", verdict.Reason);
    }

    [Fact]
    public void Compare_ErrorRateWithinTolerance_IsHealthy()
    {
        Assert.Equal(CanaryVerdictKind.Healthy, CanaryComparer.Compare(new(200, 4, 50), new(1000, 10, 50), CanaryComparisonOptions.Default).Kind);
    }

    [Fact]
    public void Compare_P99MuchSlower_IsUnhealthy()
    {
        var verdict = CanaryComparer.Compare(new(500, 0, 160), new(500, 0, 100), CanaryComparisonOptions.Default);

        Assert.Equal(CanaryVerdictKind.Unhealthy, verdict.Kind);
        Assert.Equal("p99 160 ms on the new version against 100 ms on the old", verdict.Reason);
    }

    [Fact]
    public void Compare_P99SlowerByRatioButOnlyAFewMilliseconds_IsHealthy()
    {
        Assert.Equal(CanaryVerdictKind.Healthy, CanaryComparer.Compare(new(500, 0, 4), new(500, 0, 2), CanaryComparisonOptions.Default).Kind);
    }

    [Fact]
    public void Compare_UnknownP99_JudgesOnErrorsAlone()
    {
        Assert.Equal(CanaryVerdictKind.Healthy, CanaryComparer.Compare(new(500, 0, null), new(500, 0, 100), CanaryComparisonOptions.Default).Kind);
    }
}
