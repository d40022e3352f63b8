using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class WeightScheduleTests
{
    [Fact]
    public void For_Canary10Percent5Minutes_GivesTenPercentAtOnceThenAllAfterFiveMinutes()
    {
        var steps = Schedule("Canary10Percent5Minutes");

        Assert.Equal([(TimeSpan.Zero, 10.0), (TimeSpan.FromMinutes(5), 100.0)], steps);
    }

    [Fact]
    public void For_Linear10PercentEvery1Minute_GivesTenStepsOneMinuteApart()
    {
        var steps = Schedule("Linear10PercentEvery1Minute");

        var expected = Enumerable.Range(0, 10).Select(i => (TimeSpan.FromMinutes(i), 10.0 * (i + 1))).ToArray();
        Assert.Equal(expected, steps);
    }

    [Fact]
    public void For_LinearWhosePercentDoesNotDivideAHundred_CapsTheLastStepAtAHundred()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "linear", ["percent"] = "30", ["interval"] = "2m" }).Strategy!;

        var steps = WeightSchedule.For(strategy).Select(s => (s.StartsAfter, s.NewVersionPercent)).ToArray();

        Assert.Equal([(TimeSpan.Zero, 30.0), (TimeSpan.FromMinutes(2), 60.0), (TimeSpan.FromMinutes(4), 90.0), (TimeSpan.FromMinutes(6), 100.0)], steps);
    }

    [Theory]
    [InlineData("AllAtOnce")]
    [InlineData("BlueGreen")]
    public void For_AllAtOnceAndBlueGreen_GiveOneStepOfAllTraffic(string name)
    {
        Assert.Equal([(TimeSpan.Zero, 100.0)], Schedule(name));
    }

    [Fact]
    public void For_Shadow_MirrorsItsShareAndNeverMovesTheAlias()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "shadow", ["percent"] = "20", ["duration"] = "1h" }).Strategy!;

        var step = Assert.Single(WeightSchedule.For(strategy));

        Assert.Equal(new WeightStep(0, TimeSpan.Zero, 20, TrafficMode.Shadow), step);
        Assert.False(WeightSchedule.EndsAtFullTraffic(strategy));
    }

    [Fact]
    public void For_Ab_SplitsItsShareByKey()
    {
        var strategy = DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "ab", ["percent"] = "50", ["key"] = "header:x-user", ["duration"] = "1h" }).Strategy!;

        var step = Assert.Single(WeightSchedule.For(strategy));

        Assert.Equal(new WeightStep(0, TimeSpan.Zero, 50, TrafficMode.Sticky), step);
        Assert.Equal(0.5, step.NewVersionWeight);
    }

    private static (TimeSpan, double)[] Schedule(string name) =>
        [.. WeightSchedule.For(DeploymentStrategyParser.Parse(name).Strategy!).Select(s => (s.StartsAfter, s.NewVersionPercent))];
}
