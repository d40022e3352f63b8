using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class RateExpressionTests
{
    private static readonly DateTimeOffset s_anchor = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("rate(1 minute)", 1)]
    [InlineData("rate(5 minutes)", 5)]
    [InlineData("rate(1 hour)", 60)]
    [InlineData("rate(2 hours)", 120)]
    [InlineData("rate(1 day)", 1440)]
    [InlineData("rate(7 days)", 10080)]
    public void Parse_ValidRate_HasItsInterval(string text, int minutes)
    {
        var rate = Assert.IsType<RateExpression>(ScheduleExpression.Parse(text));

        Assert.Equal(TimeSpan.FromMinutes(minutes), rate.Interval);
        Assert.Equal(text, rate.Text);
    }

    [Theory]
    [InlineData("rate(1 minutes)", "rate(1 minutes): a value of 1 takes the singular unit 'minute'")]
    [InlineData("rate(5 minute)", "rate(5 minute): a value above 1 takes the plural unit 'minutes'")]
    [InlineData("rate(2 hour)", "rate(2 hour): a value above 1 takes the plural unit 'hours'")]
    [InlineData("rate(1 days)", "rate(1 days): a value of 1 takes the singular unit 'day'")]
    [InlineData("rate(0 minutes)", "rate(0 minutes): the value must be a positive whole number, got '0'")]
    [InlineData("rate(-5 minutes)", "rate(-5 minutes): the value must be a positive whole number, got '-5'")]
    [InlineData("rate(1.5 hours)", "rate(1.5 hours): the value must be a positive whole number, got '1.5'")]
    [InlineData("rate(5 seconds)", "rate(5 seconds): the unit must be minute(s), hour(s) or day(s), got 'seconds'")]
    [InlineData("rate(5)", "rate(5): expected a value and a unit, as in rate(5 minutes)")]
    [InlineData("rate(5 minutes", "rate(5 minutes: missing the closing ')'")]
    public void TryParse_InvalidRate_SaysWhatIsWrong(string text, string message)
    {
        Assert.False(ScheduleExpression.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void NextAfter_KeepsTheGridOfTheAnchor()
    {
        var rate = ScheduleExpression.Parse("rate(5 minutes)");

        Assert.Equal(s_anchor.AddMinutes(5), rate.NextAfter(s_anchor, s_anchor, TimeZoneInfo.Utc));
        Assert.Equal(s_anchor.AddMinutes(15), rate.NextAfter(s_anchor.AddMinutes(12), s_anchor, TimeZoneInfo.Utc));
        Assert.Equal(s_anchor.AddMinutes(15), rate.NextAfter(s_anchor.AddMinutes(10), s_anchor, TimeZoneInfo.Utc));
        Assert.Equal(s_anchor, rate.NextAfter(s_anchor.AddMinutes(-3), s_anchor, TimeZoneInfo.Utc));
    }

    [Fact]
    public void NextAfter_DayRateIsTwentyFourHoursAcrossDaylightSaving()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var beforeSpringForward = new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

        var next = ScheduleExpression.Parse("rate(1 day)").NextAfter(beforeSpringForward, beforeSpringForward, paris);

        Assert.Equal(beforeSpringForward.AddHours(24), next);
    }
}
