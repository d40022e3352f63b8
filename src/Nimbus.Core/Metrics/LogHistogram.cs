using System.Buffers.Binary;

namespace Nimbus.Core.Metrics;

/// <summary>
/// A histogram with fixed logarithmic buckets: bucket <c>i</c> holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1-α) and
/// α = <see cref="RelativeError"/>. Any quantile read from it is within α of the true value (relative), whatever the
/// distribution; two histograms merge by adding counts bucket by bucket, so buckets combine across time and dimensions.
/// Values at or below <see cref="MinValue"/> (including 0) are counted in a zero bucket. Sparse: only used buckets cost memory.
/// </summary>
public sealed class LogHistogram
{
    public const double RelativeError = 0.01;
    public const double MinValue = 1e-3;
    private static readonly double s_gamma = (1 + RelativeError) / (1 - RelativeError);
    private static readonly double s_logGamma = Math.Log(s_gamma);
    private readonly SortedDictionary<int, long> _buckets = [];

    public long ZeroCount { get; private set; }

    public long TotalCount { get; private set; }

    public IReadOnlyDictionary<int, long> Buckets => _buckets;

    public static int BucketIndex(double value) => (int)Math.Ceiling(Math.Log(value) / s_logGamma);

    /// <summary>The value reported for a bucket: within α of every value the bucket holds.</summary>
    public static double BucketValue(int index) => 2 * Math.Pow(s_gamma, index) / (s_gamma + 1);

    public void Add(double value, long count = 1)
    {
        if (count <= 0 || double.IsNaN(value))
        {
            return;
        }

        TotalCount += count;
        if (value <= MinValue)
        {
            ZeroCount += count;
            return;
        }

        var index = BucketIndex(value);
        _buckets[index] = _buckets.GetValueOrDefault(index) + count;
    }

    public void Merge(LogHistogram other)
    {
        ZeroCount += other.ZeroCount;
        TotalCount += other.TotalCount;
        foreach (var (index, count) in other._buckets)
        {
            _buckets[index] = _buckets.GetValueOrDefault(index) + count;
        }
    }

    /// <summary>How many values were below <paramref name="threshold"/>, judging each bucket by its reported value
    /// (so within α of exact at the bucket that holds the threshold).</summary>
    public long CountBelow(double threshold)
    {
        var count = threshold > MinValue ? ZeroCount : 0;
        foreach (var (index, n) in _buckets)
        {
            if (BucketValue(index) >= threshold)
            {
                break;
            }

            count += n;
        }

        return count;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), or null when empty.</summary>
    public double? Quantile(double q)
    {
        if (TotalCount == 0)
        {
            return null;
        }

        // Nearest rank: the smallest value with at least q of the samples at or below it.
        var rank = Math.Max(1, (long)Math.Ceiling(q * TotalCount));
        if (rank <= ZeroCount)
        {
            return 0;
        }

        var seen = ZeroCount;
        foreach (var (index, count) in _buckets)
        {
            seen += count;
            if (seen >= rank)
            {
                return BucketValue(index);
            }
        }

        return BucketValue(_buckets.Keys.Last());
    }

    /// <summary>Compact form for the store: zero count, then (index, count) pairs, little-endian.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[8 + (_buckets.Count * 12)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, ZeroCount);
        var offset = 8;
        foreach (var (index, count) in _buckets)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), index);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset + 4), count);
            offset += 12;
        }

        return bytes;
    }

    public static LogHistogram FromBytes(ReadOnlySpan<byte> bytes)
    {
        var histogram = new LogHistogram();
        if (bytes.Length < 8 || (bytes.Length - 8) % 12 != 0)
        {
            throw new FormatException($"a histogram is 8 + 12·n bytes, got {bytes.Length}");
        }

        histogram.ZeroCount = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        histogram.TotalCount = histogram.ZeroCount;
        for (var offset = 8; offset < bytes.Length; offset += 12)
        {
            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes[(offset + 4)..]);
            histogram._buckets[BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..])] = count;
            histogram.TotalCount += count;
        }

        return histogram;
    }

    /// <summary>
    /// The bytes of <c>FromBytes(a)</c> merged with <c>FromBytes(b)</c>, computed on the bytes: both list their buckets in
    /// ascending index order (as <see cref="ToBytes"/> writes them), so one linear pass merges them without building either
    /// histogram. The store merges every flushed delta into its stored bucket this way.
    /// </summary>
    public static byte[] MergeBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (!IsSortedBlob(a) || !IsSortedBlob(b))
        {
            var merged = FromBytes(a);
            merged.Merge(FromBytes(b));
            return merged.ToBytes();
        }

        var result = new byte[8 + (a.Length - 8) + (b.Length - 8)];
        BinaryPrimitives.WriteInt64LittleEndian(result, BinaryPrimitives.ReadInt64LittleEndian(a) + BinaryPrimitives.ReadInt64LittleEndian(b));
        int i = 8, j = 8, o = 8;
        while (i < a.Length || j < b.Length)
        {
            var indexA = i < a.Length ? BinaryPrimitives.ReadInt32LittleEndian(a[i..]) : int.MaxValue;
            var indexB = j < b.Length ? BinaryPrimitives.ReadInt32LittleEndian(b[j..]) : int.MaxValue;
            long count = 0;
            var index = Math.Min(indexA, indexB);
            if (i < a.Length && indexA == index)
            {
                count += BinaryPrimitives.ReadInt64LittleEndian(a[(i + 4)..]);
                i += 12;
            }

            if (j < b.Length && indexB == index)
            {
                count += BinaryPrimitives.ReadInt64LittleEndian(b[(j + 4)..]);
                j += 12;
            }

            BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(o), index);
            BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(o + 4), count);
            o += 12;
        }

        return o == result.Length ? result : result[..o];
    }

    /// <summary>A well-formed blob whose bucket indices strictly increase.</summary>
    private static bool IsSortedBlob(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || (bytes.Length - 8) % 12 != 0)
        {
            return false;
        }

        var previous = long.MinValue;
        for (var offset = 8; offset < bytes.Length; offset += 12)
        {
            var index = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            if (index <= previous)
            {
                return false;
            }

            previous = index;
        }

        return true;
    }
}
