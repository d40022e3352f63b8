using Nimbus.Core.Metrics;

namespace Nimbus.Core.Tests.Metrics;

public sealed class MetricQueryParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static (bool Ok, MetricQuery Query, string Parameter, string Message) Parse(
        string? metric = "duration", string? statistic = null, string? period = null, string? since = null, string? until = null, string? version = null, string? function = "fn")
    {
        var ok = MetricQueryParser.TryParse(function, version, null, metric, null, statistic, period, since, until, Now, out var queries, out var error);
        return (ok, ok ? queries[0] : null!, error.Parameter, error.Message);
    }

    [Fact]
    public void TryParse_SeveralMetricsAndStatistics_GivesOneQueryEach()
    {
        Assert.True(MetricQueryParser.TryParse("fn", null, null, "duration,initDuration", null, "p50,p99", null, null, null, Now, out var queries, out _));

        Assert.Equal(["duration/p50", "duration/p99", "initDuration/p50", "initDuration/p99"], queries.Select(q => $"{q.Metric}/{q.Statistic.Name}"));
    }

    [Fact]
    public void TryParse_NoMetric_AsksForEveryMetricWithItsDefaultStatistic()
    {
        Assert.True(MetricQueryParser.TryParse("fn", null, null, null, null, null, null, null, null, Now, out var queries, out _));

        Assert.Equal(MetricNames.All, queries.Select(q => q.Metric));
        Assert.Equal("Sum", queries.Single(q => q.Metric == "errors").Statistic.Name);
        Assert.Equal("Average", queries.Single(q => q.Metric == "duration").Statistic.Name);
    }

    [Fact]
    public void TryParse_Defaults_AreTheLastHourInMinutesWithAverageForMeasuredAndSumForCounters()
    {
        var duration = Parse();
        var invocations = Parse(metric: "invocations");

        Assert.True(duration.Ok);
        Assert.Equal(60, duration.Query.PeriodSeconds);
        Assert.Equal(Now.AddHours(-1), duration.Query.Since);
        Assert.Equal(Now, duration.Query.Until);
        Assert.Equal("Average", duration.Query.Statistic.Name);
        Assert.Equal("*", duration.Query.Version);
        Assert.Equal("Sum", invocations.Query.Statistic.Name);
    }

    [Theory]
    [InlineData("bogus", null, null, null, "metric")]
    [InlineData("duration", "median", null, null, "statistic")]
    [InlineData("invocations", "p99", null, null, "statistic")]
    [InlineData("duration", null, "15s", null, "period")]
    [InlineData("duration", null, "1m", "yesterday", "since")]
    [InlineData("duration", null, "10s", "2d", "period")]
    public void TryParse_BadParameter_NamesIt(string metric, string? statistic, string? period, string? since, string parameter)
    {
        var result = Parse(metric, statistic, period, since);

        Assert.False(result.Ok);
        Assert.Equal(parameter, result.Parameter);
    }

    [Fact]
    public void TryParse_WithoutFunction_Fails() => Assert.Equal("function", Parse(function: null).Parameter);

    [Fact]
    public void TryParse_UntilBeforeSince_Fails() => Assert.Equal("until", Parse(since: "1h", until: "2h").Parameter);

    [Theory]
    [InlineData("p99", 99.0)]
    [InlineData("P99.9", 99.9)]
    [InlineData("p50", 50.0)]
    public void TryParse_Percentile_ReadsItsRank(string text, double percentile)
    {
        Assert.True(MetricStatistic.TryParse(text, out var statistic));
        Assert.Equal(percentile, statistic.Percentile);
    }

    [Theory]
    [InlineData("10s", 10)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("120", 120)]
    public void TryParsePeriod_AcceptsMultiplesOfTenSeconds(string text, int seconds)
    {
        Assert.True(MetricQueryParser.TryParsePeriod(text, out var parsed));
        Assert.Equal(seconds, parsed);
    }

    [Fact]
    public void SourceFor_PicksTheCoarsestStoredPeriodThatDividesTheRequest()
    {
        Assert.Equal(10, MetricPeriods.SourceFor(30));
        Assert.Equal(60, MetricPeriods.SourceFor(300));
        Assert.Equal(3600, MetricPeriods.SourceFor(86400));
    }
}
