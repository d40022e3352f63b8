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

    [Fact]
    public void Resume_ContinuesTheSavedCounts_AndShowsTheSavedPercentilesUntilItHasItsOwn()
    {
        var saved = new ShadowReport(10, 8, 6, 1, 0, 1, 2, 3, 5, 7, 9, 11, [new("r1", ShadowDifference.BodyDiffers, "a", "b")]);

        var tally = ShadowTally.Resume(saved);
        var before = tally.Version;
        var resumed = tally.Snapshot();
        tally.Mirrored();
        tally.Record("r2", Ok("{}", 20), Ok("{}", 40));
        var after = tally.Snapshot();

        Assert.Equal((10L, 8L, 6L, 2L, 3L, 5.0, 11.0), (resumed.Mirrored, resumed.Compared, resumed.Same, resumed.Dropped,
            resumed.SuppressedCalls, resumed.LiveP50Ms!.Value, resumed.ShadowP99Ms!.Value));
        Assert.Equal((11L, 9L, 7L, 20.0, 40.0), (after.Mirrored, after.Compared, after.Same, after.LiveP50Ms!.Value, after.ShadowP99Ms!.Value));
        Assert.Equal("r1", Assert.Single(after.Examples).RequestId);
        Assert.NotEqual(before, tally.Version);
    }

    private static ShadowOutcome Ok(string body, double latencyMs) =>
        new(InvocationOutcome.Success, null, Encoding.UTF8.GetBytes(body), latencyMs);
}
