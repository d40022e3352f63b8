using Nimbus.Core.Alarms;
using Nimbus.Core.Metrics;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary>Reads an alarm's datapoints (one per period of its range) from the metric store: the stored buckets of the
/// coarsest period that divides the alarm's, merged per alarm period, the statistic read from each merged bucket.</summary>
public sealed class AlarmDatapointReader(SqliteObservabilityStore metrics)
{
    public async Task<IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint>> ReadAsync(AlarmDefinition alarm, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = AlarmEvaluator.LatestCompletePeriodStart(alarm.Period, now) + alarm.Period;
        var since = until - alarm.Range;
        if (alarm.Metric.DividedBy is { } denominator)
        {
            var numerators = await ReadAsync(alarm, alarm.Metric.Name, alarm.Metric.Dimension, since, until, cancellationToken).ConfigureAwait(false);
            var denominators = await ReadAsync(alarm, denominator, null, since, until, cancellationToken).ConfigureAwait(false);
            return AlarmMetricMath.Rate(numerators, denominators, alarm.Metric.Scale);
        }

        return await ReadAsync(alarm, alarm.Metric.Name, alarm.Metric.Dimension, since, until, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint>> ReadAsync(
        AlarmDefinition alarm, string metric, string? dimension, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var key = new MetricSeriesKey(
            alarm.Dimensions.Function, alarm.Dimensions.Version ?? MetricSeriesKey.Any, alarm.Dimensions.Alias ?? MetricSeriesKey.Any, metric, dimension ?? "");
        var periodSeconds = (int)alarm.Period.TotalSeconds;
        var buckets = await metrics.ReadBucketsAsync(key, MetricPeriods.SourceFor(periodSeconds), since, until, cancellationToken).ConfigureAwait(false);
        var statistic = MetricStatistic.TryParse(alarm.Statistic.Name, out var parsed) ? parsed : MetricStatistic.Sum;
        var query = new MetricQuery(key.Function, key.Version, key.Alias, metric, key.Dimension, statistic, periodSeconds, since, until);
        var values = MetricSeriesBuilder.Build(query, buckets);
        var counts = MetricSeriesBuilder.Build(query with { Statistic = MetricStatistic.SampleCount }, buckets);
        var sampleCounts = counts.Timestamps.Zip(counts.Values).ToDictionary(p => p.First, p => (long)p.Second);
        var result = new Dictionary<DateTimeOffset, AlarmDatapoint>(values.Timestamps.Count);
        for (var i = 0; i < values.Timestamps.Count; i++)
        {
            var start = values.Timestamps[i];
            result[start] = new AlarmDatapoint(values.Values[i], sampleCounts.GetValueOrDefault(start));
        }

        return result;
    }
}
