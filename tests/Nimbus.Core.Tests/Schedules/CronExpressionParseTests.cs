using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class CronExpressionParseTests
{
    [Theory]
    [InlineData("cron(0 12 * * ? *)")]
    [InlineData("cron(15 10 ? * 6L 2026-2030)")]
    [InlineData("cron(0/15 * * * ? *)")]
    [InlineData("cron(0 8 ? * MON-FRI *)")]
    [InlineData("cron(0 8 ? * 2#1 *)")]
    [InlineData("cron(0 8 L * ? *)")]
    [InlineData("cron(0 8 LW * ? *)")]
    [InlineData("cron(0 8 15W * ? *)")]
    [InlineData("cron(0 18 ? JAN,MAR,DEC L *)")]
    [InlineData("cron(5,35 14 1-15/2 * ? 2027)")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 9 * * 1-5")]
    [InlineData("0 0 1 jan sun")]
    public void TryParse_ValidCron_Parses(string text)
    {
        Assert.True(ScheduleExpression.TryParse(text, out var expression, out var error), error);
        Assert.IsType<CronExpression>(expression);
    }

    [Theory]
    [InlineData("cron(0 25 * * ? *)", "cron(0 25 * * ? *): hours must be 0-23, got 25")]
    [InlineData("cron(60 1 * * ? *)", "cron(60 1 * * ? *): minutes must be 0-59, got 60")]
    [InlineData("cron(0 1 32 * ? *)", "cron(0 1 32 * ? *): day-of-month must be 1-31, got 32")]
    [InlineData("cron(0 1 0 * ? *)", "cron(0 1 0 * ? *): day-of-month must be 1-31, got 0")]
    [InlineData("cron(0 1 * 13 ? *)", "cron(0 1 * 13 ? *): month must be 1-12 or JAN-DEC, got 13")]
    [InlineData("cron(0 1 * FOO ? *)", "cron(0 1 * FOO ? *): month must be 1-12 or JAN-DEC, got 'FOO'")]
    [InlineData("cron(0 1 ? * 8 *)", "cron(0 1 ? * 8 *): day-of-week must be 1-7 or SUN-SAT, got 8")]
    [InlineData("cron(0 1 ? * 0 *)", "cron(0 1 ? * 0 *): day-of-week must be 1-7 or SUN-SAT, got 0")]
    [InlineData("cron(0 1 * * ? 1969)", "cron(0 1 * * ? 1969): year must be 1970-2199, got 1969")]
    [InlineData("cron(0 1 * * ? 2200)", "cron(0 1 * * ? 2200): year must be 1970-2199, got 2200")]
    [InlineData("cron(0 12 * * *)", "cron(0 12 * * *): expected 6 fields (minutes hours day-of-month month day-of-week year), got 5")]
    [InlineData("cron(0 12 * * * *)", "cron(0 12 * * * *): one of day-of-month and day-of-week must be ? (day-of-month is '*', day-of-week is '*')")]
    [InlineData("cron(0 12 ? * ? *)", "cron(0 12 ? * ? *): only one of day-of-month and day-of-week may be ?")]
    [InlineData("cron(? 12 * * ? *)", "cron(? 12 * * ? *): ? is only allowed in day-of-month or day-of-week, not in minutes")]
    [InlineData("cron(0/0 12 * * ? *)", "cron(0/0 12 * * ? *): minutes step must be a positive whole number, got '0'")]
    [InlineData("cron(0 20-10 * * ? *)", "cron(0 20-10 * * ? *): hours range 20-10 goes backwards; write it as two ranges")]
    [InlineData("cron(0,,5 12 * * ? *)", "cron(0,,5 12 * * ? *): minutes has an empty item in its list")]
    [InlineData("cron(0 12 ? * 2#6 *)", "cron(0 12 ? * 2#6 *): day-of-week # needs a day 1-7 or SUN-SAT and an occurrence 1-5 (as in 2#1, the first Monday), got '2#6'")]
    [InlineData("cron(0 12 ? * 9L *)", "cron(0 12 ? * 9L *): day-of-week L needs one day 1-7 or SUN-SAT before it (as in 6L, the last Friday), got '9L'")]
    [InlineData("cron(0 12 40W * ? *)", "cron(0 12 40W * ? *): day-of-month W needs one day 1-31 before it (as in 15W), got '40W'")]
    [InlineData("cron(0 12 * * ? *", "cron(0 12 * * ? *: missing the closing ')'")]
    [InlineData("0 24 * * *", "0 24 * * *: hours must be 0-23, got 24")]
    [InlineData("0 12 * *", "0 12 * *: expected rate(...), cron(...) or 5 fields (minute hour day-of-month month day-of-week), got 4 fields")]
    [InlineData("daily", "daily: expected rate(...), cron(...) or 5 fields (minute hour day-of-month month day-of-week), got 1 field")]
    [InlineData("0 12 * * 8", "0 12 * * 8: day-of-week must be 0-7 or SUN-SAT, got 8")]
    [InlineData("at(2026-01-01T00:00:00)", "at(2026-01-01T00:00:00): one-time at() schedules are not supported; use rate() or cron()")]
    [InlineData("", "a schedule expression is required: rate(5 minutes), cron(0 12 * * ? *) or a five-field cron line")]
    public void TryParse_InvalidCron_SaysWhereAndWhat(string text, string message)
    {
        Assert.False(ScheduleExpression.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithTheMessage()
    {
        var e = Assert.Throws<FormatException>(() => ScheduleExpression.Parse("cron(0 25 * * ? *)"));

        Assert.Equal("cron(0 25 * * ? *): hours must be 0-23, got 25", e.Message);
    }
}
