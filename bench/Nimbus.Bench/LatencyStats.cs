using System.Diagnostics;

namespace Nimbus.Bench;

/// <summary>Latency percentiles of one run, in milliseconds, by the nearest-rank method.</summary>
public sealed record LatencyStats(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencyStats Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Builds the statistics from raw Stopwatch tick samples; sorts the array in place.</summary>
    public static LatencyStats FromTicks(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return Empty;
        }
        Array.Sort(ticks);
        double ToMs(long t) => t * 1000.0 / Stopwatch.Frequency;
        double sum = 0;
        foreach (var t in ticks)
        {
            sum += t;
        }
        return new LatencyStats(
            ticks.Length,
            ToMs(NearestRank(ticks, 50)),
            ToMs(NearestRank(ticks, 90)),
            ToMs(NearestRank(ticks, 99)),
            ToMs(NearestRank(ticks, 99.9)),
            ToMs(ticks[^1]),
            ToMs((long)(sum / ticks.Length)));
    }

    /// <summary>Builds the statistics from millisecond samples (cold starts); does not modify the input.</summary>
    public static LatencyStats FromMilliseconds(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return Empty;
        }
        var sorted = samples.Order().ToArray();
        return new LatencyStats(
            sorted.Length,
            NearestRank(sorted, 50),
            NearestRank(sorted, 90),
            NearestRank(sorted, 99),
            NearestRank(sorted, 99.9),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>
    /// The smallest sample such that at least <paramref name="percentile"/>% of samples are at or below it
    /// (nearest rank: index ceil(p/100 * n) - 1). With few samples a high percentile is simply the maximum,
    /// which is the honest answer; interpolation would invent values nobody observed.
    /// </summary>
    public static T NearestRank<T>(T[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No samples.", nameof(sorted));
        }
        if (percentile is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Must be in (0, 100].");
        }
        // The epsilon keeps 99.9% of 1000 at rank 999: binary floating point makes it 999.0000000000001.
        var rank = (int)Math.Ceiling(percentile * sorted.Length / 100.0 - 1e-9);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
