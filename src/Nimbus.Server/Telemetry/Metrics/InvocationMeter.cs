using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nimbus.Core.Invocations;
using Nimbus.Core.Metrics;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>
/// The <c>System.Diagnostics.Metrics</c> instruments of invocations (meter <see cref="MeterName"/>), fed from the
/// invocation records the telemetry writer drains, never from the invoke path. Any listener (OpenTelemetry,
/// <c>dotnet-counters</c>) sees them.
/// </summary>
public sealed class InvocationMeter : IDisposable
{
    public const string MeterName = "Nimbus.Invocations";

    public const string FunctionTag = "function";
    public const string VersionTag = "version";
    public const string AliasTag = "alias";
    public const string OutcomeTag = "outcome";
    public const string ErrorTypeTag = "error_type";
    public const string ColdStartTag = "cold_start";

    private readonly Counter<long> _invocations;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _throttles;
    private readonly Counter<long> _coldStarts;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _initDuration;
    private readonly Histogram<double> _billedDuration;
    private readonly Histogram<long> _maxMemoryUsed;
    private readonly Counter<double> _gbSeconds;

    public InvocationMeter(Func<IEnumerable<ConcurrencySample>> concurrency)
    {
        Meter = new Meter(MeterName);
        _invocations = Meter.CreateCounter<long>("nimbus.invocations", "{invocation}", "Invocations that ran (throttles excluded)");
        _errors = Meter.CreateCounter<long>("nimbus.invocation.errors", "{invocation}", "Invocations that failed, by error type");
        _throttles = Meter.CreateCounter<long>("nimbus.invocation.throttles", "{invocation}", "Invocations refused by a concurrency limit");
        _coldStarts = Meter.CreateCounter<long>("nimbus.invocation.cold_starts", "{invocation}", "Invocations that started a new instance");
        _duration = Meter.CreateHistogram<double>("nimbus.invocation.duration", "ms", "Time the function ran");
        _initDuration = Meter.CreateHistogram<double>("nimbus.invocation.init_duration", "ms", "Time the instance took to initialise (cold starts)");
        _billedDuration = Meter.CreateHistogram<double>("nimbus.invocation.billed_duration", "ms", "Duration rounded up to the millisecond");
        _maxMemoryUsed = Meter.CreateHistogram<long>("nimbus.invocation.max_memory_used", "MBy", "Peak resident memory of the instance during the invocation");
        _gbSeconds = Meter.CreateCounter<double>("nimbus.invocation.gb_seconds", "GBy.s", "Billed duration times configured memory");
        Meter.CreateObservableGauge("nimbus.concurrent_executions", () => concurrency().Select(s =>
            new Measurement<int>(s.Busy, new KeyValuePair<string, object?>(FunctionTag, s.Function), new KeyValuePair<string, object?>(VersionTag, s.Version))),
            "{invocation}", "Invocations running now");
    }

    public Meter Meter { get; }

    public void Record(InvocationRecord record)
    {
        var tags = new TagList
        {
            { FunctionTag, record.FunctionName },
            { VersionTag, record.Version },
            { AliasTag, record.Alias ?? "" },
        };
        if (record.Outcome == InvocationOutcome.Throttled)
        {
            _throttles.Add(1, tags);
            return;
        }

        var withOutcome = tags;
        withOutcome.Add(OutcomeTag, record.Outcome.ToString());
        withOutcome.Add(ColdStartTag, record.ColdStart);
        _invocations.Add(1, withOutcome);
        if (record.Outcome != InvocationOutcome.Success)
        {
            var withType = tags;
            withType.Add(ErrorTypeTag, record.ErrorType ?? ErrorTypes.Unknown);
            _errors.Add(1, withType);
        }

        if (record.ColdStart)
        {
            _coldStarts.Add(1, tags);
        }

        if (record.InitDurationMs is { } init)
        {
            _initDuration.Record(init, tags);
        }

        if (record.Outcome == InvocationOutcome.InitError)
        {
            return;
        }

        _duration.Record(record.DurationMs, withOutcome);
        var billed = InvocationCost.BilledDurationMs(record.DurationMs);
        _billedDuration.Record(billed, tags);
        _maxMemoryUsed.Record(record.MaxMemoryUsedMb, tags);
        if (record.MemorySizeMb > 0)
        {
            _gbSeconds.Add(InvocationCost.GbSeconds(billed, record.MemorySizeMb), tags);
        }
    }

    public void Dispose() => Meter.Dispose();
}
