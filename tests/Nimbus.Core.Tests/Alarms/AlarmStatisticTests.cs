using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public sealed class AlarmStatisticTests
{
    [Theory]
    [InlineData("Sum", "Sum", null)]
    [InlineData("average", "Average", null)]
    [InlineData("MINIMUM", "Minimum", null)]
    [InlineData("Maximum", "Maximum", null)]
    [InlineData("SampleCount", "SampleCount", null)]
    [InlineData("p99", "p99", 99.0)]
    [InlineData("P99.9", "p99.9", 99.9)]
    [InlineData("p100", "p100", 100.0)]
    public void TryParse_KnownStatistic_GivesItsCanonicalName(string text, string name, double? percentile)
    {
        Assert.True(AlarmStatistic.TryParse(text, out var statistic));
        Assert.Equal(name, statistic.Name);
        Assert.Equal(percentile, statistic.Percentile);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Median")]
    [InlineData("p0")]
    [InlineData("p101")]
    [InlineData("p")]
    [InlineData("p-5")]
    public void TryParse_Other_Fails(string? text) => Assert.False(AlarmStatistic.TryParse(text, out _));
}
