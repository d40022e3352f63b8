using Nimbus.Core.Metrics;

namespace Nimbus.Core.Slos;

/// <summary>
/// Good and total invocations of a window from stored metric buckets. Availability: total = Sum of
/// <c>invocations</c>, bad = Sum of <c>errors</c>. Latency: total = the <c>duration</c> samples, good = those below the
/// threshold (read from the histograms, exact except within 1 % of the threshold). Pure.
/// </summary>
public static class SloCounting
{
    public static SloCounts Availability(IEnumerable<MetricBucket> invocations, IEnumerable<MetricBucket> errors)
    {
        var total = (long)Math.Round(invocations.Sum(b => b.Statistics.Sum));
        var bad = (long)Math.Round(errors.Sum(b => b.Statistics.Sum));
        return new SloCounts(Math.Max(0, total - bad), total);
    }

    public static SloCounts Latency(IEnumerable<MetricBucket> durations, TimeSpan threshold)
    {
        long total = 0;
        long good = 0;
        foreach (var bucket in durations)
        {
            total += bucket.Statistics.SampleCount;
            good += bucket.Statistics.Histogram?.CountBelow(threshold.TotalMilliseconds)
                ?? (bucket.Statistics.Maximum < threshold.TotalMilliseconds ? bucket.Statistics.SampleCount : 0);
        }

        return new SloCounts(good, total);
    }

    /// <summary>The stored period a window is read at: 10 s up to an hour, minutes up to 15 days, hours beyond.</summary>
    public static int PeriodFor(TimeSpan window) =>
        window <= TimeSpan.FromHours(1) ? MetricPeriods.TenSeconds
        : window <= MetricPeriods.Retention(MetricPeriods.OneMinute) ? MetricPeriods.OneMinute
        : MetricPeriods.OneHour;
}
