using Nimbus.Core.Metrics;

namespace Nimbus.Core.Slos;

/// <summary>
/// Good and total invocations for one objective from stored buckets: availability counts succeeded invocations
/// (invocations − errors); latency counts durations under the threshold, read from the duration histograms (each
/// bucket counted by its representative value, within the histogram's 1 % error). Pure.
/// </summary>
public static class SloWindowCounts
{
    public static SloCounts From(
        SloDefinition slo, IEnumerable<MetricStatistics> invocations, IEnumerable<MetricStatistics> errors, IEnumerable<MetricStatistics> durations)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(invocations);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(durations);
        var total = (long)invocations.Sum(b => b.Sum);
        if (slo.Kind != SloKind.Latency || slo.LatencyThreshold is not { } threshold)
        {
            return new SloCounts(Math.Max(0, total - (long)errors.Sum(b => b.Sum)), total);
        }

        long fast = 0;
        var limit = threshold.TotalMilliseconds;
        foreach (var histogram in durations.Select(b => b.Histogram).OfType<LogHistogram>())
        {
            fast += histogram.ZeroCount + histogram.Buckets.Where(b => LogHistogram.BucketValue(b.Key) < limit).Sum(b => b.Value);
        }

        return new SloCounts(Math.Min(fast, total), total);
    }
}
