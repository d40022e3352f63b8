using Nimbus.Core.Metrics;

namespace Nimbus.Core.Tests.Metrics;

public sealed class LogHistogramTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(1.0)]
    public void Quantile_OfOneToTenThousand_IsWithinTheStatedRelativeError(double q)
    {
        var histogram = new LogHistogram();
        for (var v = 1; v <= 10_000; v++)
        {
            histogram.Add(v);
        }

        var exact = Math.Ceiling(q * 10_000);
        var estimate = histogram.Quantile(q)!.Value;

        Assert.True(Math.Abs(estimate - exact) <= LogHistogram.RelativeError * exact,
            $"p{q * 100}: expected {exact} ± {LogHistogram.RelativeError:P0}, got {estimate}");
    }

    [Fact]
    public void Merge_OfTwoHalves_EqualsOneHistogramOfAll()
    {
        var all = new LogHistogram();
        var low = new LogHistogram();
        var high = new LogHistogram();
        for (var v = 1; v <= 1000; v++)
        {
            all.Add(v * 0.37);
            (v <= 500 ? low : high).Add(v * 0.37);
        }

        low.Merge(high);

        Assert.Equal(all.TotalCount, low.TotalCount);
        Assert.Equal(all.Buckets, low.Buckets);
        Assert.Equal(all.Quantile(0.99), low.Quantile(0.99));
    }

    [Fact]
    public void ToBytes_RoundTrips_ZeroBucketAndCounts()
    {
        var histogram = new LogHistogram();
        histogram.Add(0);
        histogram.Add(3.5, 4);
        histogram.Add(1200);

        var copy = LogHistogram.FromBytes(histogram.ToBytes());

        Assert.Equal(6, copy.TotalCount);
        Assert.Equal(1, copy.ZeroCount);
        Assert.Equal(histogram.Buckets, copy.Buckets);
        Assert.Equal(0, copy.Quantile(0.1));
    }

    [Fact]
    public void FromBytes_OfATruncatedBlob_Throws() =>
        Assert.Throws<FormatException>(() => LogHistogram.FromBytes(new byte[13]));

    [Fact]
    public void Quantile_OfEmptyHistogram_IsNull() => Assert.Null(new LogHistogram().Quantile(0.5));

    [Fact]
    public void MergeBytes_OfOverlappingAndDisjointHistograms_EqualsMergingTheHistograms()
    {
        var random = new Random(42);
        var a = new LogHistogram();
        var b = new LogHistogram();
        for (var i = 0; i < 500; i++)
        {
            a.Add(random.NextDouble() * 100);
            b.Add(50 + (random.NextDouble() * 5000));
        }

        a.Add(0, 3);
        b.Add(0.0001, 2);
        var expected = LogHistogram.FromBytes(a.ToBytes());
        expected.Merge(b);

        Assert.Equal(expected.ToBytes(), LogHistogram.MergeBytes(a.ToBytes(), b.ToBytes()));
        Assert.Equal(a.ToBytes(), LogHistogram.MergeBytes(a.ToBytes(), new LogHistogram().ToBytes()));
        Assert.Equal(b.ToBytes(), LogHistogram.MergeBytes(new LogHistogram().ToBytes(), b.ToBytes()));
    }

    [Fact]
    public void MergeBytes_OfATruncatedBlob_Throws() =>
        Assert.Throws<FormatException>(() => LogHistogram.MergeBytes(new byte[8], new byte[9]));
}
