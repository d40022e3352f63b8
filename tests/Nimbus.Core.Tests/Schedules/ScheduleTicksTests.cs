using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class ScheduleTicksTests
{
    private static readonly DateTimeOffset s_due = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ScheduleExpression s_hourly = ScheduleExpression.Parse("rate(1 hour)");
    private static readonly ScheduleExpression s_noon = ScheduleExpression.Parse("cron(0 12 * * ? *)");

    [Fact]
    public void First_RateFiresOneIntervalAfterCreation()
    {
        Assert.Equal(s_due.AddHours(1), ScheduleTicks.First(s_hourly, TimeZoneInfo.Utc, s_due));
    }

    [Fact]
    public void First_CronFiresAtTheFirstMatchAfterCreation()
    {
        Assert.Equal(s_due.AddHours(2), ScheduleTicks.First(s_noon, TimeZoneInfo.Utc, s_due));
    }

    [Fact]
    public void Decide_NotYetDue_FiresNothingAndKeepsTheNextFireTime()
    {
        var tick = ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due.AddSeconds(-1), MissedTickPolicy.Once);

        Assert.Equal(new ScheduleTick(null, s_due, Missed: false), tick);
    }

    [Theory]
    [InlineData(MissedTickPolicy.Once)]
    [InlineData(MissedTickPolicy.Skip)]
    public void Decide_DueWithinAMinute_FiresThatTickUnderEitherPolicy(MissedTickPolicy policy)
    {
        Assert.Equal(new ScheduleTick(s_due, s_due.AddHours(1), Missed: false), ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due, policy));
        Assert.Equal(new ScheduleTick(s_due, s_due.AddHours(1), Missed: false), ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due.AddMinutes(1), policy));
    }

    [Fact]
    public void Decide_MissedSeveralTicksUnderOnce_FiresOneCatchUpAndNextKeepsTheGrid()
    {
        var tick = ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due.AddHours(3).AddMinutes(7), MissedTickPolicy.Once);

        Assert.Equal(new ScheduleTick(s_due, s_due.AddHours(4), Missed: true), tick);
    }

    [Fact]
    public void Decide_MissedTicksUnderSkip_FiresNothingAndGoesToTheNextTick()
    {
        var tick = ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due.AddHours(3).AddMinutes(7), MissedTickPolicy.Skip);

        Assert.Equal(new ScheduleTick(null, s_due.AddHours(4), Missed: true), tick);
    }

    [Fact]
    public void Decide_OneMinuteAndOneSecondLate_IsMissed()
    {
        var tick = ScheduleTicks.Decide(s_hourly, TimeZoneInfo.Utc, s_due, s_due.AddSeconds(61), MissedTickPolicy.Skip);

        Assert.Equal(new ScheduleTick(null, s_due.AddHours(1), Missed: true), tick);
    }

    [Fact]
    public void Decide_CronMissedForDays_NextIsTheFirstMatchAfterNow()
    {
        var now = new DateTimeOffset(2026, 3, 5, 13, 0, 0, TimeSpan.Zero);

        var tick = ScheduleTicks.Decide(s_noon, TimeZoneInfo.Utc, s_due.AddHours(2), now, MissedTickPolicy.Once);

        Assert.Equal(new ScheduleTick(s_due.AddHours(2), new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.Zero), Missed: true), tick);
    }

    [Fact]
    public void Decide_LastTickOfACronWhoseYearsEnd_FiresAndHasNoNext()
    {
        var last = ScheduleExpression.Parse("cron(0 10 1 3 ? 2026)");

        Assert.Equal(new ScheduleTick(s_due, null, Missed: false), ScheduleTicks.Decide(last, TimeZoneInfo.Utc, s_due, s_due, MissedTickPolicy.Once));
    }
}
