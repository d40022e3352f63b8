using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public class TimeExpressionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10000000d")]
    [InlineData("99999999999999999999999d")]
    [InlineData("1000000000000000000000s")]
    public void TryParseInstant_DurationReachingBeforeYearOne_ReturnsOutOfRange_DoesNotThrow(string text)
    {
        Assert.False(TimeExpression.TryParseInstant(text, Now, out _, out var error));
        Assert.StartsWith("is out of range", error);
        Assert.False(TimeExpression.TryParseInstant(text, Now, out _));
    }

    [Fact]
    public void TryParseDuration_BeyondTimeSpan_ReturnsFalse_DoesNotThrow()
    {
        Assert.False(TimeExpression.TryParseDuration("99999999999999999999d", out _));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    public void TryParseInstant_Duration_IsThatLongBeforeNow(string text, int seconds)
    {
        Assert.True(TimeExpression.TryParseInstant(text, Now, out var instant, out var error));
        Assert.Null(error);
        Assert.Equal(Now.AddSeconds(-seconds), instant);
    }

    [Fact]
    public void TryParseInstant_IsoTime_IsThatTime()
    {
        Assert.True(TimeExpression.TryParseInstant("2026-11-30T08:00:00Z", Now, out var instant));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void TryParseInstant_Garbage_SaysWhatIsExpected()
    {
        Assert.False(TimeExpression.TryParseInstant("yesterday", Now, out _, out var error));
        Assert.Equal("is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time", error);
    }
}
