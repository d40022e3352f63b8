using Nimbus.Core.Api;
using Nimbus.Core.Metrics;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Slos;

public class SloStatusTests
{
    private static readonly SloDefinition Availability = SloDefinition.Availability("availability", "checkout", 99.9);

    private static MetricBucket Bucket(string metric, MetricStatistics statistics) =>
        new(new MetricSeriesKey("checkout", MetricSeriesKey.Any, MetricSeriesKey.Any, metric, ""), 60, 0, statistics);

    [Fact]
    public void Availability_KnownMix_ExactAttainmentAndBudget()
    {
        var counts = SloCounting.Availability(
            [Bucket(MetricNames.Invocations, new MetricStatistics(6000, 6000, 1, 1, null)), Bucket(MetricNames.Invocations, new MetricStatistics(4000, 4000, 1, 1, null))],
            [Bucket(MetricNames.Errors, new MetricStatistics(10000, 5, 0, 1, null))]);

        var status = SloStatus.From(Availability, counts, new Dictionary<TimeSpan, SloCounts>(), BurnRateAlerts.Default);

        Assert.Equal(new SloCounts(9995, 10000), counts);
        Assert.Equal((99.95, 10.0, 5L, 0.5), (status.Attainment, status.BudgetAllowed, status.BudgetConsumed, status.BudgetRemaining));
        Assert.Equal("OK", status.AlertState);
    }

    [Fact]
    public void FastBurn_Pages_SlowBurn_DoesNot()
    {
        // 2 % errors against a 0.1 % allowance is a burn of 20 in every window: both page rules fire.
        var fast = new Dictionary<TimeSpan, SloCounts>();
        var slow = new Dictionary<TimeSpan, SloCounts>();
        foreach (var window in BurnRateAlerts.Windows(BurnRateAlerts.Default))
        {
            fast[window] = new SloCounts(980, 1000);
            slow[window] = new SloCounts(9995, 10000); // burn 0.5
        }

        var fastStatus = SloStatus.From(Availability, new SloCounts(980, 1000), fast, BurnRateAlerts.Default);
        var slowStatus = SloStatus.From(Availability, new SloCounts(9995, 10000), slow, BurnRateAlerts.Default);

        Assert.Equal("PAGE", fastStatus.AlertState);
        Assert.Equal(20, fastStatus.CurrentBurnRate, 9);
        Assert.True(fastStatus.BudgetExhausted);
        Assert.Equal("OK", slowStatus.AlertState);
        Assert.All(slowStatus.BurnRates, b => Assert.False(b.Firing));
    }

    [Fact]
    public void FastBurnThatStopped_ShortWindowClearsThePage()
    {
        var windows = BurnRateAlerts.Windows(BurnRateAlerts.Default).ToDictionary(w => w, _ => new SloCounts(980, 1000));
        windows[TimeSpan.FromMinutes(5)] = new SloCounts(100, 100);
        windows[TimeSpan.FromMinutes(30)] = new SloCounts(1000, 1000);

        var status = SloStatus.From(Availability, new SloCounts(980, 1000), windows, BurnRateAlerts.Default);

        Assert.Equal("TICKET", status.AlertState);
    }

    [Fact]
    public void Latency_CountsDurationsUnderTheThresholdFromTheHistogram()
    {
        var statistics = new MetricStatistics(withHistogram: true);
        // Each value more than 1 % (the histogram's resolution) from the threshold, so the count is exact.
        foreach (var ms in new[] { 50.0, 120, 250, 290, 310, 900, 1500, 40, 80, 100 })
        {
            statistics.Add(ms);
        }

        var counts = SloCounting.Latency([Bucket(MetricNames.Duration, statistics)], TimeSpan.FromMilliseconds(300));

        Assert.Equal(new SloCounts(7, 10), counts);
    }
}
