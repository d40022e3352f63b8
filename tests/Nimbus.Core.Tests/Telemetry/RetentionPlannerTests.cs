using Nimbus.Core.Telemetry;

namespace Nimbus.Core.Tests.Telemetry;

public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AgeCutoff_IsNowMinusTheRetentionAge()
    {
        var policy = new RetentionPolicy(TimeSpan.FromDays(7), null, null);

        Assert.Equal(new DateTimeOffset(2026, 5, 25, 12, 0, 0, TimeSpan.Zero), RetentionPlanner.AgeCutoff(policy, Now));
    }

    [Fact]
    public void AgeCutoff_WithoutAnAgeLimit_IsNull()
    {
        Assert.Null(RetentionPlanner.AgeCutoff(new RetentionPolicy(null, 1000, null), Now));
    }

    [Fact]
    public void AgeCutoff_LongerThanTheCalendarReaches_KeepsEverything()
    {
        var policy = new RetentionPolicy(TimeSpan.MaxValue, null, null);

        Assert.Equal(DateTimeOffset.MinValue, RetentionPlanner.AgeCutoff(policy, Now));
    }

    [Fact]
    public void ExcessRows_WithinEveryBudget_IsZero()
    {
        var policy = new RetentionPolicy(null, maxBytes: 10_000, maxRows: 100);

        Assert.Equal(0, RetentionPlanner.ExcessRows(policy, new TableUsage(Rows: 100, Bytes: 10_000)));
    }

    [Fact]
    public void ExcessRows_OverTheRowBudget_DeletesDownToNinetyPercentOfIt()
    {
        var policy = new RetentionPolicy(null, null, maxRows: 1_000_000);

        Assert.Equal(100_001, RetentionPlanner.ExcessRows(policy, new TableUsage(Rows: 1_000_001, Bytes: 1)));
    }

    [Fact]
    public void ExcessRows_OverTheSizeBudget_DeletesEnoughAverageRowsToGetUnderNinetyPercent()
    {
        // 2,000 rows of 100 bytes = 200,000 bytes against a budget of 100,000: down to 90,000 bytes is 1,100 rows.
        var policy = new RetentionPolicy(null, maxBytes: 100_000, null);

        Assert.Equal(1_100, RetentionPlanner.ExcessRows(policy, new TableUsage(Rows: 2_000, Bytes: 200_000)));
    }

    [Fact]
    public void ExcessRows_OverBothBudgets_TakesTheLargerDeletion()
    {
        var policy = new RetentionPolicy(null, maxBytes: 500, maxRows: 100);

        // Rows alone: 150 down to 90 is 60. Bytes: 1,500 at 10 a row down to 450 is 105, which wins.
        Assert.Equal(105, RetentionPlanner.ExcessRows(policy, new TableUsage(Rows: 150, Bytes: 1_500)));
    }

    [Fact]
    public void ExcessRows_NeverMoreThanTheTableHas()
    {
        var policy = new RetentionPolicy(null, maxBytes: 1, null);

        Assert.Equal(3, RetentionPlanner.ExcessRows(policy, new TableUsage(Rows: 3, Bytes: 1_000_000)));
    }

    [Fact]
    public void ExcessRows_OfAnEmptyTable_IsZero()
    {
        Assert.Equal(0, RetentionPlanner.ExcessRows(new RetentionPolicy(null, 1, 1), new TableUsage(0, 4096)));
    }

    [Fact]
    public void Policy_WithoutAnyLimit_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RetentionPolicy(null, null, null));

        Assert.Contains("age, a size or a row limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_WithANonPositiveLimit_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(TimeSpan.Zero, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(null, 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionPolicy(null, null, -1));
    }

    [Fact]
    public void Defaults_AreSevenDaysOrOneGigabyteForLogs_AndSevenDaysOrAMillionForInvocations()
    {
        Assert.Equal(new RetentionPolicy(TimeSpan.FromDays(7), 1L << 30, null), RetentionPolicy.DefaultLogs);
        Assert.Equal(new RetentionPolicy(TimeSpan.FromDays(7), null, 1_000_000), RetentionPolicy.DefaultInvocations);
    }
}
