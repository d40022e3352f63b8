using Nimbus.Cli.Output;

namespace Nimbus.Cli.Tests.Output;

public sealed class SparklineTests
{
    [Fact]
    public void Render_ScalesFromZeroToTheLargestValue() => Assert.Equal("▁▅█", Sparkline.Render([0, 5, 10]));

    [Fact]
    public void Render_LeavesGapsBlank() => Assert.Equal("█ █", Sparkline.Render([3, null, 3]));

    [Fact]
    public void Render_LongSeries_FoldsKeepingTheSpike()
    {
        var values = Enumerable.Repeat<double?>(1, 120).ToList();
        values[77] = 50;

        var line = Sparkline.Render(values, width: 60);

        Assert.Equal(60, line.Length);
        Assert.Equal('█', line[38]);
    }

    [Fact]
    public void Render_NoData_IsEmpty() => Assert.Equal("", Sparkline.Render([null, null]));
}
