using Nimbus.Core.Invocations;
using Nimbus.Core.Metrics;
using Nimbus.Server.Telemetry.Errors;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// Where drained invocation records become telemetry: metric buckets for the store, Prometheus series, the
/// <c>System.Diagnostics.Metrics</c> instruments and error groups. Called by <see cref="TelemetryWriter"/> on its own
/// thread with each batch; the invoke path only wrote the record to the channel.
/// </summary>
public sealed class InvocationMetrics(InvocationMeter meter, PrometheusRegistry prometheus, ErrorTracker errors)
{
    private readonly Lock _lock = new();
    private readonly MetricAggregator _aggregator = new();

    public PrometheusRegistry Prometheus { get; } = prometheus;

    public void Observe(IReadOnlyList<InvocationRecord> records)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                _aggregator.Add(record);
            }
        }

        foreach (var record in records)
        {
            meter.Record(record);
        }

        Prometheus.Observe(records);
        errors.Observe(records);
    }

    /// <summary>Adds concurrency samples: each version's busy instances, and the function's total.</summary>
    public void ObserveConcurrency(IReadOnlyList<ConcurrencySample> samples, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var function in samples.GroupBy(s => s.Function))
            {
                _aggregator.AddSample(new MetricSeriesKey(function.Key, MetricSeriesKey.Any, MetricSeriesKey.Any, MetricNames.ConcurrentExecutions, ""),
                    function.Sum(s => s.Busy), now);
                foreach (var sample in function)
                {
                    _aggregator.AddSample(new MetricSeriesKey(sample.Function, sample.Version, MetricSeriesKey.Any, MetricNames.ConcurrentExecutions, ""),
                        sample.Busy, now);
                }
            }
        }
    }

    public IReadOnlyList<MetricBucket> Drain()
    {
        lock (_lock)
        {
            return _aggregator.Drain();
        }
    }
}
