using Nimbus.Core.Metrics;

namespace Nimbus.Core.Deployments;

/// <summary>Folds one version's stored metric buckets over a window into the figures the comparison reads. Pure.</summary>
public static class VersionWindows
{
    public static VersionWindow From(
        IEnumerable<MetricStatistics> invocations, IEnumerable<MetricStatistics> errors, IEnumerable<MetricStatistics> durations)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(durations);
        var calls = (long)invocations.Sum(b => b.Sum);
        var failed = (long)errors.Sum(b => b.Sum);
        var histogram = new LogHistogram();
        foreach (var bucket in durations)
        {
            if (bucket.Histogram is { } h)
            {
                histogram.Merge(h);
            }
        }

        return new VersionWindow(calls, failed, histogram.Quantile(0.99));
    }
}
