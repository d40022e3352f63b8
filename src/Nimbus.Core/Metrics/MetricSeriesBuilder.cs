namespace Nimbus.Core.Metrics;

/// <summary>
/// Builds the series a query asks for from stored buckets of the query's source period (see
/// <see cref="MetricPeriods.SourceFor"/>): buckets that fall into one requested period merge, then the statistic is
/// read from the merged bucket (so a p99 over 5 minutes is the p99 of all samples, not an average of p99s).
/// </summary>
public static class MetricSeriesBuilder
{
    public static MetricSeries Build(MetricQuery query, IEnumerable<MetricBucket> stored)
    {
        var size = query.PeriodSeconds * 1000L;
        var merged = new SortedDictionary<long, MetricStatistics>();
        foreach (var bucket in stored)
        {
            var start = bucket.Start - (((bucket.Start % size) + size) % size);
            if (!merged.TryGetValue(start, out var statistics))
            {
                statistics = new MetricStatistics(bucket.Statistics.Histogram is not null);
                merged[start] = statistics;
            }

            statistics.Merge(bucket.Statistics);
        }

        var timestamps = new List<DateTimeOffset>();
        var values = new List<double>();
        foreach (var (start, statistics) in merged)
        {
            if (query.Statistic.Evaluate(statistics) is { } value)
            {
                timestamps.Add(DateTimeOffset.FromUnixTimeMilliseconds(start));
                values.Add(value);
            }
        }

        return new MetricSeries(
            query.Function,
            query.Version == MetricSeriesKey.Any ? null : query.Version,
            query.Alias == MetricSeriesKey.Any ? null : query.Alias,
            query.Metric,
            query.Dimension.Length == 0 ? null : query.Dimension,
            query.Statistic.Name,
            query.PeriodSeconds,
            MetricNames.Unit(query.Metric),
            timestamps,
            values);
    }

    /// <summary>All buckets merged into one (e.g. the whole window of a summary), or null when there is none.</summary>
    public static MetricStatistics? Total(IEnumerable<MetricBucket> stored)
    {
        MetricStatistics? total = null;
        foreach (var bucket in stored)
        {
            total ??= new MetricStatistics(bucket.Statistics.Histogram is not null);
            total.Merge(bucket.Statistics);
        }

        return total;
    }
}
