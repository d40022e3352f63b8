using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class ScheduleTimeZoneTests
{
    [Fact]
    public void TryFind_NoneOrUtc_IsUtc()
    {
        Assert.True(ScheduleTimeZone.TryFind(null, out var none, out _));
        Assert.True(ScheduleTimeZone.TryFind("UTC", out var utc, out _));
        Assert.Equal(TimeZoneInfo.Utc, none);
        Assert.Equal(TimeZoneInfo.Utc, utc);
    }

    [Fact]
    public void TryFind_IanaName_FindsTheZone()
    {
        Assert.True(ScheduleTimeZone.TryFind("Europe/Paris", out var zone, out _));
        Assert.Equal(TimeSpan.FromHours(1), zone.GetUtcOffset(new DateTime(2026, 1, 1)));
    }

    [Fact]
    public void TryFind_UnknownName_SaysSo()
    {
        Assert.False(ScheduleTimeZone.TryFind("Mars/Olympus", out _, out var error));
        Assert.Equal("'Mars/Olympus' is not a known IANA time zone (as in Europe/Paris or America/New_York)", error);
    }
}
