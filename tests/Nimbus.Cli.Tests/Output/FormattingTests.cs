using Nimbus.Cli.Output;
using Nimbus.Core.Logs;

namespace Nimbus.Cli.Tests.Output;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KB")]
    [InlineData(3174, "3.1 KB")]
    [InlineData(5 * 1024 * 1024, "5.0 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GB")]
    public void ByteSize_IsReadable(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void LogLine_ShowsUtcTimeShortRequestIdLevelAndMessage()
    {
        var record = new LogRecord(
            7, new DateTimeOffset(2026, 11, 22, 4, 15, 44, 123, TimeSpan.FromHours(1)), "orders", "3",
            "1a2b3c4d-5e6f-7a8b-9c0d-112233445566", null, "INFO", "stdout", "order placed\n", null);

        Assert.Equal("2026-11-22T03:15:44.123Z  1a2b3c4d  INFO   order placed", LogLineFormatter.Format(record));
    }

    [Fact]
    public void LogLine_WithoutRequestId_KeepsColumnsAligned()
    {
        var record = new LogRecord(8, new DateTimeOffset(2026, 11, 22, 3, 15, 44, TimeSpan.Zero), "orders", "3", null, null, "ERROR", "stderr", "boom", null);

        Assert.Equal("2026-11-22T03:15:44.000Z  -         ERROR  boom", LogLineFormatter.Format(record));
    }
}
