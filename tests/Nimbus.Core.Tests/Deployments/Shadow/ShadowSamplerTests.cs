using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Core.Tests.Deployments.Shadow;

public sealed class ShadowSamplerTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(12.5, 125)]
    [InlineData(50, 500)]
    [InlineData(33, 330)]
    [InlineData(100, 1000)]
    public void Next_ThousandCalls_CopiesExactlyTheShare(double percent, int expected)
    {
        var sampler = new ShadowSampler(percent);

        Assert.Equal(expected, Enumerable.Range(0, 1000).Count(_ => sampler.Next()));
    }

    [Fact]
    public void Next_Fifty_CopiesEverySecondCall()
    {
        var sampler = new ShadowSampler(50);

        Assert.Equal([false, true, false, true], Enumerable.Range(0, 4).Select(_ => sampler.Next()).ToArray());
    }

    [Fact]
    public void Picks_IsDeterministic()
    {
        var first = Enumerable.Range(0, 500).Select(i => ShadowSampler.Picks(i, 7)).ToArray();

        Assert.Equal(first, Enumerable.Range(0, 500).Select(i => ShadowSampler.Picks(i, 7)).ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void New_OutOfRange_Throws(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShadowSampler(percent));
    }
}
