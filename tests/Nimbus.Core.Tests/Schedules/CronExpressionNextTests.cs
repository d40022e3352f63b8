using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class CronExpressionNextTests
{
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateTimeOffset? Next(string expression, DateTimeOffset after, TimeZoneInfo? zone = null) =>
        ScheduleExpression.Parse(expression).NextAfter(after, after, zone ?? TimeZoneInfo.Utc);

    public static TheoryData<string, DateTimeOffset, DateTimeOffset> UtcCases => new()
    {
        { "cron(0 12 * * ? *)", Utc(1, 1, 11, 59), Utc(1, 1, 12, 0) },
        { "cron(0 12 * * ? *)", Utc(1, 1, 12, 0), Utc(1, 2, 12, 0) },
        { "cron(0/15 * * * ? *)", Utc(1, 1, 10, 7), Utc(1, 1, 10, 15) },
        { "cron(5/20 * * * ? *)", Utc(1, 1, 10, 26), Utc(1, 1, 10, 45) },
        { "cron(5,35 14 * * ? *)", Utc(1, 1, 14, 5), Utc(1, 1, 14, 35) },
        { "cron(0 8 ? * MON-FRI *)", Utc(1, 2, 9, 0), Utc(1, 5, 8, 0) },
        { "cron(0 8 ? * 2-6 *)", Utc(1, 2, 9, 0), Utc(1, 5, 8, 0) },
        { "cron(0 8 ? * 2#1 *)", Utc(1, 5, 8, 0), Utc(2, 2, 8, 0) },
        { "cron(0 8 ? * MON#3 *)", Utc(1, 1, 0, 0), Utc(1, 19, 8, 0) },
        { "cron(0 8 ? * 6L *)", Utc(1, 1, 0, 0), Utc(1, 30, 8, 0) },
        { "cron(0 18 ? * L *)", Utc(1, 1, 0, 0), Utc(1, 3, 18, 0) },
        { "cron(0 8 L * ? *)", Utc(2, 1, 0, 0), Utc(2, 28, 8, 0) },
        { "cron(0 8 LW * ? *)", Utc(5, 1, 0, 0), Utc(5, 29, 8, 0) },
        { "cron(0 8 15W * ? *)", Utc(2, 1, 0, 0), Utc(2, 16, 8, 0) },
        { "cron(0 8 15W * ? *)", Utc(8, 1, 0, 0), Utc(8, 14, 8, 0) },
        { "cron(0 8 1W * ? *)", Utc(7, 2, 0, 0), Utc(8, 3, 8, 0) },
        { "cron(0 8 31W * ? *)", Utc(5, 1, 0, 0), Utc(5, 29, 8, 0) },
        { "cron(0 0 1 JAN,JUL ? *)", Utc(1, 1, 0, 0), Utc(7, 1, 0, 0) },
        { "cron(0 0 1 1 ? 2028)", Utc(6, 1, 0, 0), Utc(1, 1, 0, 0, 2028) },
        { "cron(0 0 29 2 ? *)", Utc(1, 1, 0, 0), Utc(2, 29, 0, 0, 2028) },
        { "0 12 * * *", Utc(1, 1, 12, 0), Utc(1, 2, 12, 0) },
        { "*/5 * * * *", Utc(1, 1, 10, 7), Utc(1, 1, 10, 10) },
        { "0 9 * * 7", Utc(1, 1, 0, 0), Utc(1, 4, 9, 0) },
        { "0 9 * * 0", Utc(1, 1, 0, 0), Utc(1, 4, 9, 0) },
        { "0 9 * * MON-FRI", Utc(1, 2, 10, 0), Utc(1, 5, 9, 0) },
        { "0 0 13 * 5", Utc(1, 1, 0, 0), Utc(1, 2, 0, 0) },
        { "0 0 13 * 5", Utc(1, 10, 0, 0), Utc(1, 13, 0, 0) },
        { "0 0 1 jan sun", Utc(1, 1, 0, 0), Utc(1, 4, 0, 0) },
    };

    [Theory]
    [MemberData(nameof(UtcCases))]
    public void NextAfter_InUtc_IsTheFirstMatchingMinuteAfter(string expression, DateTimeOffset after, DateTimeOffset expected)
    {
        Assert.Equal(expected, Next(expression, after));
    }

    [Fact]
    public void NextAfter_YearsAllPassed_IsNull()
    {
        Assert.Null(Next("cron(0 0 1 1 ? 2027)", Utc(1, 1, 0, 0, 2027)));
    }

    [Fact]
    public void NextAfter_DateThatNeverExists_IsNull()
    {
        Assert.Null(Next("cron(0 0 30 2 ? *)", Utc(1, 1, 0, 0)));
    }

    [Fact]
    public void NextAfter_InTimeZone_ReadsFieldsAsLocalTime()
    {
        Assert.Equal(Utc(1, 10, 8, 0), Next("cron(0 9 * * ? *)", Utc(1, 10, 0, 0), s_paris));
        Assert.Equal(Utc(7, 10, 7, 0), Next("cron(0 9 * * ? *)", Utc(7, 10, 0, 0), s_paris));
        Assert.Equal(Utc(1, 10, 17, 0), Next("cron(0 12 * * ? *)", Utc(1, 10, 0, 0), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
    }

    [Fact]
    public void NextAfter_LocalTimeSkippedBySpringForward_DoesNotFireThatDay()
    {
        // 29 March 2026 in Paris goes from 02:00 to 03:00: 02:30 does not exist that day.
        Assert.Equal(Utc(3, 30, 0, 30), Next("cron(30 2 * * ? *)", Utc(3, 28, 12, 0), s_paris));
    }

    [Fact]
    public void NextAfter_LocalTimeRepeatedByFallBack_FiresOnceAtTheFirstInstance()
    {
        // 25 October 2026 in Paris goes from 03:00 back to 02:00: 02:30 happens at 00:30Z and again at 01:30Z.
        var first = Next("cron(30 2 * * ? *)", Utc(10, 24, 12, 0), s_paris);

        Assert.Equal(Utc(10, 25, 0, 30), first);
        Assert.Equal(Utc(10, 26, 1, 30), Next("cron(30 2 * * ? *)", first!.Value, s_paris));
    }

    [Fact]
    public void NextAfter_EveryMinuteOfARepeatedHour_DoesNotRunTheHourTwice()
    {
        // 02:59 (first instance) is 00:59Z; the second 02:00-02:59 (01:00Z-01:59Z) must not fire again.
        Assert.Equal(Utc(10, 26, 1, 0), Next("cron(* 2 * * ? *)", Utc(10, 25, 0, 59), s_paris));
    }

    [Fact]
    public void NextAfter_StandardCronInTimeZone_ReadsLocalTime()
    {
        Assert.Equal(Utc(7, 10, 7, 0), Next("0 9 * * *", Utc(7, 10, 0, 0), s_paris));
    }
}
