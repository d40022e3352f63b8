using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Slos;

public sealed class BurnRateTests
{
    private const double Objective = 99.9;

    /// <summary>Counts with the given error percentage over every window the default rules read.</summary>
    private static Dictionary<TimeSpan, SloCounts> Everywhere(double errorPercent) =>
        BurnRateAlerts.Windows(BurnRateAlerts.Default).ToDictionary(w => w, _ => Mix(errorPercent));

    private static SloCounts Mix(double errorPercent) => new(100_000 - (long)(errorPercent * 1000), 100_000);

    [Fact]
    public void Of_IsErrorRatioOverAllowedRatio()
    {
        Assert.Equal(20.0, BurnRate.Of(Mix(2), Objective));
        Assert.Equal(1.0, BurnRate.Of(Mix(0.1), Objective));
        Assert.Equal(0.0, BurnRate.Of(new SloCounts(0, 0), Objective));
    }

    [Fact]
    public void Default_IsTheWorkbookTableWithShortWindowsOfOneTwelfth()
    {
        Assert.Equal(
            [
                (SloAlertSeverity.Page, 14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
                (SloAlertSeverity.Page, 6.0, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
                (SloAlertSeverity.Ticket, 1.0, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
            ],
            BurnRateAlerts.Default.Select(a => (a.Severity, a.Threshold, a.LongWindow, a.ShortWindow)));
        Assert.Equal(["page-1h", "page-6h", "ticket-3d"], BurnRateAlerts.Default.Select(a => a.Name));
    }

    [Fact]
    public void Evaluate_FastBurn_Pages()
    {
        // 2 % errors against a 0.1 % budget: burn 20 everywhere.
        var verdicts = BurnRateEvaluator.Evaluate(Objective, Everywhere(2), BurnRateAlerts.Default);

        Assert.All(verdicts, v => Assert.True(v.IsFiring, v.Alert.Name));
        Assert.Equal(20.0, verdicts[0].LongBurnRate);
        Assert.Equal(SloAlertSeverity.Page, BurnRateEvaluator.Worst(verdicts));
    }

    [Fact]
    public void Evaluate_SlowBurn_DoesNotPageButTickets()
    {
        // 0.2 % errors: burn 2, under both page thresholds, over the ticket's 1.
        var verdicts = BurnRateEvaluator.Evaluate(Objective, Everywhere(0.2), BurnRateAlerts.Default);

        Assert.Equal([false, false, true], verdicts.Select(v => v.IsFiring));
        Assert.Equal(SloAlertSeverity.Ticket, BurnRateEvaluator.Worst(verdicts));
    }

    [Fact]
    public void Evaluate_WhenTheShortWindowHasRecovered_DoesNotPage()
    {
        // The last hour burnt at 20, but the last 5 minutes were clean: the page stops.
        var counts = Everywhere(2);
        counts[TimeSpan.FromMinutes(5)] = Mix(0);

        var page1h = BurnRateEvaluator.Evaluate(Objective, counts, BurnRateAlerts.Default)[0];

        Assert.Equal(20.0, page1h.LongBurnRate);
        Assert.Equal(0.0, page1h.ShortBurnRate);
        Assert.False(page1h.IsFiring);
    }

    [Fact]
    public void Evaluate_AtExactlyTheThreshold_Fires()
    {
        // 1.44 % errors is burn 14.4 exactly.
        var counts = new Dictionary<TimeSpan, SloCounts>
        {
            [TimeSpan.FromHours(1)] = new(98_560, 100_000),
            [TimeSpan.FromMinutes(5)] = new(98_560, 100_000),
        };

        Assert.True(BurnRateEvaluator.Evaluate(Objective, counts, BurnRateAlerts.Default)[0].IsFiring);
    }

    [Fact]
    public void Evaluate_WithNoTraffic_FiresNothing() =>
        Assert.Null(BurnRateEvaluator.Worst(BurnRateEvaluator.Evaluate(Objective, new Dictionary<TimeSpan, SloCounts>(), BurnRateAlerts.Default)));
}
