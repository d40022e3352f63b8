using System.Text;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class OutputLineSplitterTests
{
    private readonly List<string> _lines = [];

    [Fact]
    public void Write_CutsOnNewlineOnly_KeepingCarriageReturnsInsideALine()
    {
        var splitter = new OutputLineSplitter(_lines.Add);

        splitter.Write("first\rstill first\nsecond\r\n\nthird"u8);
        splitter.Complete();

        Assert.Equal(["first\rstill first", "second", "", "third"], _lines);
    }

    [Fact]
    public void Write_JoinsALineDeliveredInManyChunks_AndAMultiByteCharacterSplitBetweenThem()
    {
        var splitter = new OutputLineSplitter(_lines.Add);
        var bytes = Encoding.UTF8.GetBytes("grüße 🌤\n");

        foreach (var b in bytes)
        {
            splitter.Write([b]);
        }

        Assert.Equal(["grüße 🌤"], _lines);
    }

    [Fact]
    public void Write_LineLongerThanTheCap_KeepsItsStartAndSaysHowManyBytesWereCut()
    {
        var splitter = new OutputLineSplitter(_lines.Add, maxLineBytes: 10);

        splitter.Write("0123456789abcdef"u8);
        splitter.Write("ghij\nnext\n"u8);

        Assert.Equal(["0123456789… [truncated: 10 bytes]", "next"], _lines);
    }

    [Fact]
    public void Write_HugeLineWithoutNewline_BuffersNoMoreThanTheCap()
    {
        var splitter = new OutputLineSplitter(_lines.Add, maxLineBytes: 1024);
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'x');

        for (var i = 0; i < 1600; i++) // 100 MB
        {
            splitter.Write(chunk);
            Assert.True(splitter.BufferedBytes <= 1024, $"buffered {splitter.BufferedBytes} bytes after chunk {i}");
        }

        splitter.Complete();

        var line = Assert.Single(_lines);
        Assert.Equal(new string('x', 1024) + $"… [truncated: {(1600L * 64 * 1024) - 1024} bytes]", line);
    }

    [Fact]
    public void Write_CapFallingInsideAMultiByteCharacter_CutsBeforeTheCharacter()
    {
        var splitter = new OutputLineSplitter(_lines.Add, maxLineBytes: 5);

        splitter.Write(Encoding.UTF8.GetBytes("abcd€ef\n")); // € is 3 bytes: the cap ends inside it

        Assert.Equal(["abcd… [truncated: 5 bytes]"], _lines);
    }

    [Fact]
    public void Write_LineOfExactlyTheCapWithCrLf_IsNotTruncated()
    {
        var splitter = new OutputLineSplitter(_lines.Add, maxLineBytes: 4);

        splitter.Write("abcd\r\nabcde\r\n"u8);

        Assert.Equal(["abcd", "abcd… [truncated: 1 bytes]"], _lines);
    }

    [Fact]
    public void Complete_WithNothingPending_EmitsNothing()
    {
        var splitter = new OutputLineSplitter(_lines.Add);

        splitter.Write("done\n"u8);
        splitter.Complete();

        Assert.Equal(["done"], _lines);
    }
}
