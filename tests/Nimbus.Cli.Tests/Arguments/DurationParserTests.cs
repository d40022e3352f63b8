using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Tests.Arguments;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("300s", 300_000)]
    [InlineData("10m", 600_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("10M", 600_000)]
    [InlineData("PT5M", 300_000)]
    [InlineData("P1DT2H", 93_600_000)]
    [InlineData("pt30s", 30_000)]
    public void Parses(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration), $"'{text}' should parse");
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("10 minutes")]
    [InlineData("5y")]
    [InlineData("P")]
    [InlineData("PXYZ")]
    [InlineData("-PT5M")]
    public void Rejects(string text) => Assert.False(DurationParser.TryParse(text, out _), $"'{text}' should not parse");

    [Fact]
    public void Since_ADuration_CountsBackFromNow()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        Assert.True(DurationParser.TryParseSince("10m", now, out var since));
        Assert.Equal(now.AddMinutes(-10), since);
    }

    [Fact]
    public void Since_AnIsoTimestamp_IsTakenAsIs_AndUtcWithoutOffset()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        Assert.True(DurationParser.TryParseSince("2026-11-21T08:30:00+02:00", now, out var withOffset));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 30, 0, TimeSpan.Zero), withOffset);
        Assert.True(DurationParser.TryParseSince("2026-11-21T08:30:00", now, out var withoutOffset));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero), withoutOffset);
    }

    [Fact]
    public void Since_Garbage_IsRejected() => Assert.False(DurationParser.TryParseSince("last tuesday", DateTimeOffset.UnixEpoch, out _));
}
