using Nimbus.Core.Telemetry;

namespace Nimbus.Core.Tests.Telemetry;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("1GB", 1L << 30)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("500MB", 500L << 20)]
    [InlineData("64 KB", 64L << 10)]
    [InlineData("2T", 2L << 40)]
    [InlineData("4096", 4096)]
    [InlineData("4096B", 4096)]
    public void TryParse_ReadsBinaryUnits(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GB")]
    [InlineData("-1GB")]
    [InlineData("0")]
    [InlineData("1 PB")]
    [InlineData("lots")]
    [InlineData("99999999999T")]
    public void TryParse_RefusesWhatIsNotAPositiveSize(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1L << 30, "1 GB")]
    [InlineData(512L << 20, "512 MB")]
    [InlineData(1536L << 10, "1536 KB")]
    [InlineData(1000, "1000 B")]
    public void Format_UsesTheLargestWholeUnit(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }
}
