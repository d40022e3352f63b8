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

    // A record's series resolved once per shape and drain: hashing five strings per series for 10-20 series per record was
    // most of the telemetry writer's metric work; now it is one lookup per record (docs/design/warm-path.md).
    private readonly Dictionary<RecordShape, MetricStatistics[]> _resolved = [];
    private readonly Sample[] _samples = new Sample[16];

    public int PendingCount => _pending.Count;

    public void Add(InvocationRecord record)
    {
        var start = MetricPeriods.BucketStart(record.StartedAt, MetricPeriods.TenSeconds);
        var count = Samples(record, _samples);
        var isError = record.Outcome != InvocationOutcome.Success;
        var shape = new RecordShape(record.FunctionName, record.Version, record.Alias, record.Outcome, isError ? record.ErrorType : null,
            record.ColdStart, record.InitDurationMs is not null, record.MemorySizeMb > 0, start);
        if (!_resolved.TryGetValue(shape, out var targets))
        {
            targets = Resolve(record, count, start);
            _resolved[shape] = targets;
        }

        for (var i = 0; i < targets.Length; i++)
        {
            targets[i].Add(_samples[i % count].Value);
        }
    }

    /// <summary>The statistics each sample of a record of this shape goes to, every scope after the other.</summary>
    private MetricStatistics[] Resolve(InvocationRecord record, int count, long start)
    {
        var scopes = Scopes(record).ToArray();
        var targets = new MetricStatistics[scopes.Length * count];
        var i = 0;
        foreach (var (version, alias) in scopes)
        {
            for (var s = 0; s < count; s++)
            {
                var sample = _samples[s];
                targets[i++] = Pending(new MetricSeriesKey(record.FunctionName, version, alias, sample.Metric, DimensionOf(record, sample.Dimension)), start);
            }
        }

        return targets;
    }

    /// <summary>What one record adds to each of its scopes, in a fixed order: which samples there are depends only on its shape.</summary>
    private static int Samples(InvocationRecord record, Sample[] samples)
    {
        var n = 0;
        if (record.Outcome == InvocationOutcome.Throttled)
        {
            samples[n++] = new(MetricNames.Throttles, SampleDimension.Total, 1);
            return n;
        }

        var isError = record.Outcome != InvocationOutcome.Success;
        samples[n++] = new(MetricNames.Invocations, SampleDimension.Total, 1);
        samples[n++] = new(MetricNames.Invocations, SampleDimension.Outcome, 1);
        samples[n++] = new(MetricNames.Errors, SampleDimension.Total, isError ? 1 : 0);
        if (isError)
        {
            samples[n++] = new(MetricNames.Errors, SampleDimension.ErrorType, 1);
        }

        samples[n++] = new(MetricNames.ColdStarts, SampleDimension.Total, record.ColdStart ? 1 : 0);
        if (record.InitDurationMs is { } init)
        {
            samples[n++] = new(MetricNames.InitDuration, SampleDimension.Total, init);
        }

        if (record.Outcome == InvocationOutcome.InitError)
        {
            return n; // the function never ran: no duration, memory or bill
        }

        samples[n++] = new(MetricNames.Duration, SampleDimension.Total, record.DurationMs);
        samples[n++] = new(MetricNames.Duration, SampleDimension.Start, record.DurationMs);
        samples[n++] = new(MetricNames.MaxMemoryUsed, SampleDimension.Total, record.MaxMemoryUsedMb);
        var billed = InvocationCost.BilledDurationMs(record.DurationMs);
        samples[n++] = new(MetricNames.BilledDuration, SampleDimension.Total, billed);
        if (record.MemorySizeMb > 0)
        {
            samples[n++] = new(MetricNames.GbSeconds, SampleDimension.Total, InvocationCost.GbSeconds(billed, record.MemorySizeMb));
        }

        return n;
    }

    private static string DimensionOf(InvocationRecord record, SampleDimension dimension) => dimension switch
    {
        SampleDimension.Outcome => "outcome=" + record.Outcome,
        SampleDimension.ErrorType => "errorType=" + (record.ErrorType ?? ErrorTypes.Unknown),
        SampleDimension.Start => record.ColdStart ? "start=cold" : "start=warm",
        _ => "",
    };

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
    public void AddSample(MetricSeriesKey key, double value, DateTimeOffset time) =>
        Pending(key, MetricPeriods.BucketStart(time, MetricPeriods.TenSeconds)).Add(value);

    private MetricStatistics Pending(MetricSeriesKey key, long start)
    {
        var slot = (key, start);
        if (!_pending.TryGetValue(slot, out var statistics))
        {
            statistics = new MetricStatistics(!MetricNames.IsCounter(key.Metric));
            _pending[slot] = statistics;
        }

        return statistics;
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
        _resolved.Clear();
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

    private enum SampleDimension : byte
    {
        Total,
        Outcome,
        ErrorType,
        Start,
    }

    private readonly record struct Sample(string Metric, SampleDimension Dimension, double Value);

    /// <summary>What decides a record's series and samples (not its values).</summary>
    private readonly record struct RecordShape(string Function, string Version, string? Alias, InvocationOutcome Outcome, string? ErrorType,
        bool ColdStart, bool HasInit, bool HasMemorySize, long Start);
}
