using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class LogLineFilterTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 2, 20, 0, 0, TimeSpan.Zero);
    private static readonly LogRecord s_line = new(7, s_t0, "fn", "1", "req", "trace", "WARN", "stdout", "Disk ALMOST full", "{\"free\":\"2%\"}");

    [Theory]
    [InlineData("almost", true)]
    [InlineData("ALMOST FULL", true)]
    [InlineData("2%", true)]
    [InlineData("disk almost full!", false)]
    [InlineData("Ä", false)]
    public void Text_IsASubstringOfMessageOrFields_CaseInsensitiveForAscii(string text, bool matches) =>
        Assert.Equal(matches, LogLineFilter.Matches(new LogQuery("fn", Text: text), s_line));

    [Fact]
    public void Since_IsInclusive_AndUntilExclusive()
    {
        Assert.True(LogLineFilter.Matches(new LogQuery("fn", Since: s_t0), s_line));
        Assert.False(LogLineFilter.Matches(new LogQuery("fn", Until: s_t0), s_line));
        Assert.True(LogLineFilter.Matches(new LogQuery("fn", Until: s_t0.AddMilliseconds(1)), s_line));
        Assert.False(LogLineFilter.Matches(new LogQuery("fn", Since: s_t0.AddMilliseconds(1)), s_line));
    }

    [Fact]
    public void LevelRequestAndTrace_AreExact_LevelIgnoringCase()
    {
        Assert.True(LogLineFilter.Matches(new LogQuery("fn", Level: "warn", RequestId: "req") { TraceId = "trace" }, s_line));
        Assert.False(LogLineFilter.Matches(new LogQuery("fn", Level: "WARNING"), s_line));
        Assert.False(LogLineFilter.Matches(new LogQuery("fn", RequestId: "re"), s_line));
        Assert.False(LogLineFilter.Matches(new LogQuery("fn") { TraceId = "other" }, s_line));
    }
}
