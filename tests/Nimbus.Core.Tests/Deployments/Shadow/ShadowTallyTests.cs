using System.Text;
using Nimbus.Core.Deployments.Shadow;
using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Deployments.Shadow;

public sealed class ShadowTallyTests
{
    [Fact]
    public void Snapshot_Empty_HasZeroCountsAndNoPercentiles()
    {
        var report = new ShadowTally().Snapshot();

        Assert.Equal(0, report.Compared);
        Assert.Null(report.LiveP50Ms);
        Assert.Null(report.ShadowP99Ms);
        Assert.Empty(report.Examples);
    }

    [Fact]
    public void Record_CountsEachKindAndKeepsExamplesOfDifferences()
    {
        var tally = new ShadowTally();
        tally.Mirrored();
        tally.Mirrored();
        tally.Mirrored();
        tally.Mirrored();
        tally.Dropped();
        tally.Suppressed();
        tally.Suppressed();

        tally.Record("r1", Ok("{\"a\":1}", 10), Ok("{ \"a\": 1 }", 20));
        tally.Record("r2", Ok("{\"a\":1}", 10), Ok("{\"a\":2}", 20));
        tally.Record("r3", Ok("{}", 10), new(InvocationOutcome.FunctionError, "Boom", Encoding.UTF8.GetBytes("{}"), 20));

        var report = tally.Snapshot();
        Assert.Equal(4, report.Mirrored);
        Assert.Equal(3, report.Compared);
        Assert.Equal(1, report.Same);
        Assert.Equal(1, report.BodyDiffers);
        Assert.Equal(1, report.OutcomeDiffers);
        Assert.Equal(0, report.ErrorTypeDiffers);
        Assert.Equal(2, report.Differences);
        Assert.Equal(1, report.Dropped);
        Assert.Equal(2, report.SuppressedCalls);
        Assert.Equal(["r2", "r3"], report.Examples.Select(e => e.RequestId).ToArray());
        Assert.Contains("Boom", report.Examples[1].Shadow);
    }

    [Fact]
    public void Snapshot_PercentilesAreNearestRankPerSide()
    {
        var tally = new ShadowTally();
        for (var i = 1; i <= 100; i++)
        {
            tally.Record($"r{i}", Ok("1", i), Ok("1", i * 2));
        }

        var report = tally.Snapshot();
        Assert.Equal(50, report.LiveP50Ms);
        Assert.Equal(99, report.LiveP99Ms);
        Assert.Equal(100, report.ShadowP50Ms);
        Assert.Equal(198, report.ShadowP99Ms);
    }

    [Fact]
    public void Record_KeepsAtMostMaxExamples()
    {
        var tally = new ShadowTally();
        for (var i = 0; i < ShadowTally.MaxExamples + 3; i++)
        {
            tally.Record($"r{i}", Ok("1", 1), Ok("2", 1));
        }

        Assert.Equal(ShadowTally.MaxExamples, tally.Snapshot().Examples.Count);
        Assert.Equal(ShadowTally.MaxExamples + 3, tally.Snapshot().BodyDiffers);
    }

    private static ShadowOutcome Ok(string body, double latencyMs) =>
        new(InvocationOutcome.Success, null, Encoding.UTF8.GetBytes(body), latencyMs);
}
