using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
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
    private readonly CustomSeriesLimit _customLimit = new();

    /// <summary>The platform log line of a call the recursion guard stopped (<see cref="TelemetrySink.RecursionDropped"/>).</summary>
    public const string RecursionDropPrefix = "RECURSIVE_INVOCATION_DROPPED ";

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

    /// <summary>
    /// Custom metrics from log lines in CloudWatch Embedded Metric Format, and the recursion guard's stops (read from its
    /// platform log line, so the invoke path does no more than write that line): a JSON line (its fields) or a runtime-prefixed
    /// line whose message is the JSON object.
    /// </summary>
    public void ObserveLogs(IReadOnlyList<LogRecord> records)
    {
        foreach (var record in records)
        {
            if (record.Stream == "platform" && record.Message.StartsWith(RecursionDropPrefix, StringComparison.Ordinal))
            {
                lock (_lock)
                {
                    _aggregator.AddRecursionDrop(record.FunctionName, record.Version, record.Time);
                }

                continue;
            }

            // The whole line (the message of a JSON line without a message key, or after a runtime's prefix) has
            // every key; the fields lack those the log parser took as level, time or message.
            var json = record.Message.StartsWith('{') && EmfParser.MayBeEmf(record.Message) ? record.Message
                : EmfParser.MayBeEmf(record.FieldsJson) ? record.FieldsJson
                : null;
            if (json is null || record.Stream == "platform")
            {
                continue;
            }

            var metrics = EmfParser.Parse(json);
            if (metrics.Count == 0)
            {
                continue;
            }

            lock (_lock)
            {
                _aggregator.AddCustom(record.FunctionName, record.Version, metrics, record.Time, _customLimit);
            }
        }
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

    /// <summary>Async queue samples (depth, oldest event's age) and the retries and dead letters since the last sample, per function.</summary>
    public void ObserveAsyncQueues(IReadOnlyList<(string Function, long Depth, double OldestAgeSeconds)> queues,
        IReadOnlyList<(string Function, long Retries, long DeadLettered)> changes, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var (function, depth, age) in queues)
            {
                _aggregator.AddSample(Key(function, MetricNames.AsyncQueueDepth), depth, now);
                _aggregator.AddSample(Key(function, MetricNames.AsyncEventAge), age * 1000, now);
            }

            foreach (var (function, retries, deadLettered) in changes)
            {
                for (var i = 0; i < retries; i++)
                {
                    _aggregator.AddSample(Key(function, MetricNames.Retries), 1, now);
                }

                for (var i = 0; i < deadLettered; i++)
                {
                    _aggregator.AddSample(Key(function, MetricNames.DeadLettered), 1, now);
                }
            }
        }

        static MetricSeriesKey Key(string function, string metric) => new(function, MetricSeriesKey.Any, MetricSeriesKey.Any, metric, "");
    }

    public IReadOnlyList<MetricBucket> Drain()
    {
        lock (_lock)
        {
            return _aggregator.Drain();
        }
    }
}
