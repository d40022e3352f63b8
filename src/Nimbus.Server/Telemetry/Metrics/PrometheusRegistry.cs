using System.Globalization;
using Nimbus.Core.Invocations;
using Nimbus.Core.Metrics;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// Cumulative counters and histograms since the server started, in Prometheus's naming (every series prefixed
/// <c>nimbus_</c>, seconds, <c>_total</c> for counters), fed from drained invocation records. Scrapes read a
/// snapshot under the same lock the writer thread takes per batch; the invoke path never touches it.
/// </summary>
public sealed class PrometheusRegistry
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, double> _invocations = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _errors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _throttles = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _coldStarts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _gbSeconds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PrometheusHistogram> _duration = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PrometheusHistogram> _initDuration = new(StringComparer.Ordinal);
    private string? _lastFunction;
    private string? _lastVersion;
    private string? _lastAlias;
    private InvocationOutcome _lastOutcome;
    private string? _lastScope;
    private string? _lastOutcomeScope;

    public void Observe(IEnumerable<InvocationRecord> records)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                Observe(record);
            }
        }
    }

    private void Observe(InvocationRecord record)
    {
        var (scope, outcomeScope) = Scopes(record);
        if (record.Outcome == InvocationOutcome.Throttled)
        {
            Increment(_throttles, scope, 1);
            return;
        }

        Increment(_invocations, outcomeScope, 1);
        if (record.Outcome != InvocationOutcome.Success)
        {
            Increment(_errors, PrometheusLabels.Format(("function", record.FunctionName), ("version", record.Version), ("alias", record.Alias ?? ""),
                ("error_type", record.ErrorType ?? ErrorTypes.Unknown)), 1);
        }

        if (record.ColdStart)
        {
            Increment(_coldStarts, scope, 1);
        }

        if (record.InitDurationMs is { } init)
        {
            Histogram(_initDuration, PrometheusLabels.Format(("function", record.FunctionName), ("version", record.Version))).Observe(init / 1000);
        }

        if (record.Outcome != InvocationOutcome.InitError)
        {
            Histogram(_duration, scope).Observe(record.DurationMs / 1000);
            if (record.MemorySizeMb > 0)
            {
                Increment(_gbSeconds, scope, InvocationCost.GbSeconds(InvocationCost.BilledDurationMs(record.DurationMs), record.MemorySizeMb));
            }
        }
    }

    /// <summary>
    /// The label sets of the record's function, version and alias, without and with its outcome. A batch is mostly one
    /// function's records, whose names are the same string objects, so the last record's are reused when they match
    /// (formatting and escaping them was ~2.5 % of the telemetry writer). Called under the lock.
    /// </summary>
    private (string Scope, string OutcomeScope) Scopes(InvocationRecord record)
    {
        if (!ReferenceEquals(record.FunctionName, _lastFunction) || !ReferenceEquals(record.Version, _lastVersion)
            || !ReferenceEquals(record.Alias, _lastAlias) || record.Outcome != _lastOutcome || _lastScope is null)
        {
            _lastFunction = record.FunctionName;
            _lastVersion = record.Version;
            _lastAlias = record.Alias;
            _lastOutcome = record.Outcome;
            _lastScope = PrometheusLabels.Format(("function", record.FunctionName), ("version", record.Version), ("alias", record.Alias ?? ""));
            _lastOutcomeScope = PrometheusLabels.Format(("function", record.FunctionName), ("version", record.Version), ("alias", record.Alias ?? ""),
                ("outcome", record.Outcome.ToString()));
        }

        return (_lastScope, _lastOutcomeScope!);
    }

    /// <summary>Writes every series in the text exposition format 0.0.4, then the platform gauges.</summary>
    public void WriteTo(TextWriter output, PlatformGauges gauges)
    {
        lock (_lock)
        {
            WriteCounters(output, "nimbus_invocations_total", "Invocations that ran, by outcome (throttles excluded).", _invocations);
            WriteCounters(output, "nimbus_errors_total", "Failed invocations, by error type.", _errors);
            WriteCounters(output, "nimbus_throttles_total", "Invocations refused by a concurrency limit.", _throttles);
            WriteCounters(output, "nimbus_cold_starts_total", "Invocations that started a new instance.", _coldStarts);
            WriteCounters(output, "nimbus_billed_gb_seconds_total", "Billed duration times configured memory, in GB-seconds.", _gbSeconds);
            WriteHistograms(output, "nimbus_invocation_duration_seconds", "Time the function ran.", _duration);
            WriteHistograms(output, "nimbus_init_duration_seconds", "Time a new instance took to initialise.", _initDuration);
        }

        WriteGauges(output, "nimbus_concurrent_executions", "Invocations running now.",
            gauges.Concurrency.Select(s => (PrometheusLabels.Format(("function", s.Function), ("version", s.Version)), (double)s.Busy)));
        WriteGauges(output, "nimbus_instances", "Worker instances by state.",
            gauges.InstancesByState.Select(s => (PrometheusLabels.Format(("state", s.Key)), (double)s.Value)));
        WriteGauges(output, "nimbus_runtime_ports_free", "Runtime API ports free for new instances.", [("", gauges.FreeRuntimePorts)]);
        WriteGauges(output, "nimbus_runtime_ports", "Runtime API ports in the pool.", [("", gauges.RuntimePorts)]);
        output.Write("# HELP nimbus_telemetry_logs_dropped_total Log records dropped because the store could not keep up.\n");
        output.Write("# TYPE nimbus_telemetry_logs_dropped_total counter\n");
        output.Write($"nimbus_telemetry_logs_dropped_total {Number(gauges.DroppedLogs)}\n");
        output.Write("# HELP nimbus_recursive_invocations_dropped_total Calls the recursion guard stopped before they ran.\n");
        output.Write("# TYPE nimbus_recursive_invocations_dropped_total counter\n");
        foreach (var (function, count) in gauges.RecursionDrops.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            output.Write($"nimbus_recursive_invocations_dropped_total{PrometheusLabels.Format(("function", function))} {Number(count)}\n");
        }

        var queues = gauges.AsyncQueues.OrderBy(q => q.Function, StringComparer.Ordinal).ToArray();
        WriteGauges(output, "nimbus_async_queue_depth", "Events in the function's async queue (sampled every 10 s).",
            queues.Select(q => (PrometheusLabels.Format(("function", q.Function)), (double)q.Depth)));
        WriteGauges(output, "nimbus_async_event_age_seconds", "Age of the oldest event in the function's async queue (sampled every 10 s).",
            queues.Select(q => (PrometheusLabels.Format(("function", q.Function)), q.OldestAgeSeconds)));
        var totals = gauges.AsyncTotals.OrderBy(t => t.Function, StringComparer.Ordinal).ToArray();
        output.Write("# HELP nimbus_async_retries_total Async attempts that failed and were scheduled again.\n");
        output.Write("# TYPE nimbus_async_retries_total counter\n");
        foreach (var total in totals)
        {
            output.Write($"nimbus_async_retries_total{PrometheusLabels.Format(("function", total.Function))} {Number(total.Retries)}\n");
        }

        output.Write("# HELP nimbus_async_dead_lettered_total Async events that ended in the dead-letter queue.\n");
        output.Write("# TYPE nimbus_async_dead_lettered_total counter\n");
        foreach (var total in totals)
        {
            output.Write($"nimbus_async_dead_lettered_total{PrometheusLabels.Format(("function", total.Function))} {Number(total.DeadLettered)}\n");
        }

        if (gauges.DroppedExportSpans is { } droppedSpans)
        {
            output.Write("# HELP nimbus_telemetry_spans_export_dropped_total Spans not exported to the OTLP endpoint.\n");
            output.Write("# TYPE nimbus_telemetry_spans_export_dropped_total counter\n");
            output.Write($"nimbus_telemetry_spans_export_dropped_total {Number(droppedSpans)}\n");
        }
    }

    private static void Increment(SortedDictionary<string, double> counters, string labels, double by) =>
        counters[labels] = counters.GetValueOrDefault(labels) + by;

    private static PrometheusHistogram Histogram(SortedDictionary<string, PrometheusHistogram> histograms, string labels)
    {
        if (!histograms.TryGetValue(labels, out var histogram))
        {
            histogram = new PrometheusHistogram();
            histograms[labels] = histogram;
        }

        return histogram;
    }

    private static void WriteCounters(TextWriter output, string name, string help, SortedDictionary<string, double> counters)
    {
        output.Write($"# HELP {name} {help}\n# TYPE {name} counter\n");
        foreach (var (labels, value) in counters)
        {
            output.Write($"{name}{labels} {Number(value)}\n");
        }
    }

    private static void WriteHistograms(TextWriter output, string name, string help, SortedDictionary<string, PrometheusHistogram> histograms)
    {
        output.Write($"# HELP {name} {help}\n# TYPE {name} histogram\n");
        foreach (var (labels, histogram) in histograms)
        {
            for (var i = 0; i < PrometheusHistogram.Bounds.Length; i++)
            {
                output.Write($"{name}_bucket{PrometheusLabels.With(labels, "le", Number(PrometheusHistogram.Bounds[i]))} {Number(histogram.CumulativeCounts[i])}\n");
            }

            output.Write($"{name}_bucket{PrometheusLabels.With(labels, "le", "+Inf")} {Number(histogram.Count)}\n");
            output.Write($"{name}_sum{labels} {Number(histogram.Sum)}\n");
            output.Write($"{name}_count{labels} {Number(histogram.Count)}\n");
        }
    }

    private static void WriteGauges(TextWriter output, string name, string help, IEnumerable<(string Labels, double Value)> values)
    {
        output.Write($"# HELP {name} {help}\n# TYPE {name} gauge\n");
        foreach (var (labels, value) in values)
        {
            output.Write($"{name}{labels} {Number(value)}\n");
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
