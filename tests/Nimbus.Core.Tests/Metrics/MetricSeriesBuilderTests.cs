using Nimbus.Core.Metrics;

namespace Nimbus.Core.Tests.Metrics;

public sealed class MetricSeriesBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static MetricBucket Bucket(string metric, int offsetSeconds, params double[] samples)
    {
        var statistics = new MetricStatistics(!MetricNames.IsCounter(metric));
        foreach (var sample in samples)
        {
            statistics.Add(sample);
        }

        return new MetricBucket(new MetricSeriesKey("fn", "*", "*", metric, ""), 60, T0.AddSeconds(offsetSeconds).ToUnixTimeMilliseconds(), statistics);
    }

    private static MetricQuery Query(string metric, MetricStatistic statistic, int period) =>
        new("fn", "*", "*", metric, "", statistic, period, T0, T0.AddHours(1));

    [Fact]
    public void Build_FiveMinutePeriodFromMinuteBuckets_MergesBucketsBeforeTheStatistic()
    {
        var stored = new[] { Bucket("duration", 0, 10, 20), Bucket("duration", 60, 30), Bucket("duration", 300, 100) };

        var average = MetricSeriesBuilder.Build(Query("duration", MetricStatistic.Average, 300), stored);
        var maximum = MetricSeriesBuilder.Build(Query("duration", MetricStatistic.Maximum, 300), stored);

        Assert.Equal([T0, T0.AddMinutes(5)], average.Timestamps);
        Assert.Equal([20, 100], average.Values);
        Assert.Equal([30, 100], maximum.Values);
        Assert.Equal("Milliseconds", average.Unit);
    }

    [Fact]
    public void Build_Percentile_IsReadFromTheMergedHistogram()
    {
        var stored = Enumerable.Range(0, 10).Select(i => Bucket("duration", i * 60, Enumerable.Range(i * 100 + 1, 100).Select(v => (double)v).ToArray()));
        MetricStatistic.TryParse("p90", out var p90);

        var series = MetricSeriesBuilder.Build(Query("duration", p90, 600), stored);

        var value = Assert.Single(series.Values);
        Assert.True(Math.Abs(value - 900) <= 9, $"p90 of 1..1000 should be 900 ± 1 %, got {value}");
    }

    [Fact]
    public void Build_CounterSum_AddsUp()
    {
        var stored = new[] { Bucket("invocations", 0, 1, 1, 1), Bucket("invocations", 60, 1) };

        var series = MetricSeriesBuilder.Build(Query("invocations", MetricStatistic.Sum, 3600), stored);

        Assert.Equal([4], series.Values);
    }
}
