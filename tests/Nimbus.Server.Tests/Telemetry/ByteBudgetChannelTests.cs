using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Telemetry;

public sealed class ByteBudgetChannelTests
{
    private int _dropped;

    [Fact]
    public void TryWrite_BeyondTheByteBudget_DropsTheOldestAndCountsThem()
    {
        var channel = new ByteBudgetChannel<string>(capacity: 1000, byteBudget: 100, s => s.Length, () => _dropped++);

        for (var i = 0; i < 10; i++)
        {
            Assert.True(channel.Writer.TryWrite(new string((char)('a' + i), 30)));
        }

        // 3 items of 30 bytes fit in 100; the 7 oldest went.
        Assert.Equal(7, _dropped);
        Assert.Equal(90, channel.Bytes);
        Assert.Equal(["hhh", "iii", "jjj"], ReadAll(channel).Select(s => s[..3]));
        Assert.Equal(0, channel.Bytes);
    }

    [Fact]
    public void TryWrite_BeyondTheCount_DropsTheOldestAndKeepsTheByteCountRight()
    {
        var channel = new ByteBudgetChannel<string>(capacity: 2, byteBudget: 1_000_000, s => s.Length, () => _dropped++);

        channel.Writer.TryWrite("first");
        channel.Writer.TryWrite("second");
        channel.Writer.TryWrite("third");

        Assert.Equal(1, _dropped);
        Assert.Equal("second".Length + "third".Length, channel.Bytes);
        Assert.Equal(["second", "third"], ReadAll(channel));
    }

    [Fact]
    public void TryWrite_WithinBothBounds_KeepsEverythingInOrder()
    {
        var channel = new ByteBudgetChannel<string>(capacity: 10, byteBudget: 100, s => s.Length, () => _dropped++);

        channel.Writer.TryWrite("a");
        channel.Writer.TryWrite("bb");

        Assert.Equal(0, _dropped);
        Assert.True(channel.Reader.CanCount);
        Assert.Equal(2, channel.Reader.Count);
        Assert.Equal(["a", "bb"], ReadAll(channel));
    }

    [Fact]
    public async Task WaitToReadAsync_CompletesWhenAnItemIsWritten()
    {
        var channel = new ByteBudgetChannel<string>(capacity: 10, byteBudget: 100, s => s.Length, () => _dropped++);
        var waiting = channel.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        channel.Writer.TryWrite("x");

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("x", await channel.Reader.ReadAsync(CancellationToken.None));
    }

    private static List<string> ReadAll(ByteBudgetChannel<string> channel)
    {
        var items = new List<string>();
        while (channel.Reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
