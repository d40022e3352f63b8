using Nimbus.Core.Invocations;

namespace Nimbus.Core.Metrics;

/// <summary>
/// Turns invocation records into metric samples and sums them into 10-second, 1-minute and 1-hour buckets per
/// function, version, alias and dimension. <see cref="Drain"/> hands out what accumulated since the last drain as
/// deltas that the store merges into what it already holds (so a late record lands in its own bucket, and every
/// rollup is exact: each delta goes to all three periods). Not thread-safe: one caller at a time.
/// </summary>
public sealed class MetricAggregator
{
    // Only 10-second buckets gather here; Drain merges them into their minute and hour (a third of the work per sample).
    private readonly Dictionary<(MetricSeriesKey Key, long Start), MetricStatistics> _pending = [];

    public int PendingCount => _pending.Count;

    public void Add(InvocationRecord record)
    {
        var time = record.StartedAt;
        foreach (var (version, alias) in Scopes(record))
        {
            void Sample(string metric, double value, string dimension = "") =>
                AddSample(new MetricSeriesKey(record.FunctionName, version, alias, metric, dimension), value, time);

            if (record.Outcome == InvocationOutcome.Throttled)
            {
                Sample(MetricNames.Throttles, 1);
                continue;
            }

            var isError = record.Outcome != InvocationOutcome.Success;
            Sample(MetricNames.Invocations, 1);
            Sample(MetricNames.Invocations, 1, "outcome=" + record.Outcome);
            Sample(MetricNames.Errors, isError ? 1 : 0);
            if (isError)
            {
                Sample(MetricNames.Errors, 1, "errorType=" + (record.ErrorType ?? ErrorTypes.Unknown));
            }

            Sample(MetricNames.ColdStarts, record.ColdStart ? 1 : 0);
            if (record.InitDurationMs is { } init)
            {
                Sample(MetricNames.InitDuration, init);
            }

            if (record.Outcome == InvocationOutcome.InitError)
            {
                continue; // the function never ran: no duration, memory or bill
            }

            Sample(MetricNames.Duration, record.DurationMs);
            Sample(MetricNames.Duration, record.DurationMs, record.ColdStart ? "start=cold" : "start=warm");
            Sample(MetricNames.MaxMemoryUsed, record.MaxMemoryUsedMb);
            var billed = InvocationCost.BilledDurationMs(record.DurationMs);
            Sample(MetricNames.BilledDuration, billed);
            if (record.MemorySizeMb > 0)
            {
                Sample(MetricNames.GbSeconds, InvocationCost.GbSeconds(billed, record.MemorySizeMb));
            }
        }
    }

    /// <summary>A call the recursion guard stopped: one sample for the function and one for the version it would have run.</summary>
    public void AddRecursionDrop(string function, string version, DateTimeOffset time)
    {
        AddSample(new MetricSeriesKey(function, MetricSeriesKey.Any, MetricSeriesKey.Any, MetricNames.RecursiveInvocationsDropped, ""), 1, time);
        AddSample(new MetricSeriesKey(function, version, MetricSeriesKey.Any, MetricNames.RecursiveInvocationsDropped, ""), 1, time);
    }

    /// <summary>
    /// Custom metrics of one Embedded Metric Format line of a function: each value counts in the function's and the
    /// version's series, for the total and for each of the line's dimension sets (those <paramref name="limit"/> admits).
    /// </summary>
    public void AddCustom(string function, string version, IEnumerable<EmfMetric> metrics, DateTimeOffset time, CustomSeriesLimit? limit = null)
    {
        foreach (var metric in metrics)
        {
            foreach (var dimension in metric.DimensionSets.Prepend(""))
            {
                if (limit is not null && !limit.TryAdmit(function, metric.Name, dimension))
                {
                    continue;
                }

                foreach (var scope in new[] { MetricSeriesKey.Any, version })
                {
                    var key = new MetricSeriesKey(function, scope, MetricSeriesKey.Any, metric.Name, dimension);
                    foreach (var value in metric.Values)
                    {
                        AddSample(key, value, time);
                    }
                }
            }
        }
    }

    /// <summary>One sample of a series (e.g. concurrentExecutions), into the buckets of every stored period.</summary>
    public void AddSample(MetricSeriesKey key, double value, DateTimeOffset time)
    {
        var slot = (key, MetricPeriods.BucketStart(time, MetricPeriods.TenSeconds));
        if (!_pending.TryGetValue(slot, out var statistics))
        {
            statistics = new MetricStatistics(!MetricNames.IsCounter(key.Metric));
            _pending[slot] = statistics;
        }

        statistics.Add(value);
    }

    /// <summary>The deltas accumulated since the last call, for every stored period; the aggregator starts empty again.</summary>
    public IReadOnlyList<MetricBucket> Drain()
    {
        var buckets = new List<MetricBucket>(_pending.Count * 2);
        var rolled = new Dictionary<(MetricSeriesKey Key, int Period, long Start), MetricStatistics>();
        foreach (var ((key, start), statistics) in _pending)
        {
            buckets.Add(new MetricBucket(key, MetricPeriods.TenSeconds, start, statistics));
            foreach (var period in MetricPeriods.Stored.Skip(1))
            {
                var size = period * 1000L;
                var slot = (key, period, start - (((start % size) + size) % size));
                if (!rolled.TryGetValue(slot, out var total))
                {
                    total = new MetricStatistics(statistics.Histogram is not null);
                    rolled[slot] = total;
                }

                total.Merge(statistics);
            }
        }

        buckets.AddRange(rolled.Select(r => new MetricBucket(r.Key.Key, r.Key.Period, r.Key.Start, r.Value)));
        _pending.Clear();
        return buckets;
    }

    /// <summary>The series one record counts in: the function, its version, its alias, and version within alias.</summary>
    private static IEnumerable<(string Version, string Alias)> Scopes(InvocationRecord record)
    {
        yield return (MetricSeriesKey.Any, MetricSeriesKey.Any);
        yield return (record.Version, MetricSeriesKey.Any);
        if (record.Alias is { } alias)
        {
            yield return (MetricSeriesKey.Any, alias);
            yield return (record.Version, alias);
        }
    }
}
