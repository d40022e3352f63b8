using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;
using Nimbus.Core.Tracing;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Invocations;

/// <summary>The one place that decides what the <see cref="InvocationRecord"/> of a dispatched invocation says.</summary>
public static class InvocationRecords
{
    private static readonly string[] s_sourceNames = Enum.GetNames<InvocationSource>();

    /// <param name="finishedAt">When the dispatcher answered; the record starts <see cref="InvocationResult.DurationMs"/> before.</param>
    /// <param name="trace">The trace the front door gave the invocation; its span becomes the record's.</param>
    /// <param name="totalMs">Time from entering the front door to the dispatcher's answer.</param>
    public static InvocationRecord From(InvocationSource source, ExecutionTarget target, string? alias, InvocationResult result, DateTimeOffset finishedAt,
        TraceContext? trace = null, double totalMs = 0)
    {
        var outcome = result.Outcome;
        return new InvocationRecord(
            result.RequestId,
            target.FunctionName,
            target.Version,
            alias,
            finishedAt.AddMilliseconds(-result.DurationMs),
            result.DurationMs,
            result.InitDurationMs,
            // An invocation that failed to start an instance was a cold start, even though no instance served it.
            result.ColdStart || outcome == InvocationOutcome.InitError,
            outcome,
            // A throttle has no error type of its own: the reason (ReservedConcurrency, ...) is what an operator needs.
            outcome == InvocationOutcome.Throttled ? result.ThrottleReason.ToString() : result.ErrorType,
            result.MaxMemoryUsedMb,
            trace?.TraceId ?? result.TraceId,
            target.Config.MemoryMb,
            // Function errors and init failures carry Lambda's error JSON: error grouping reads its type and stack.
            result.IsFunctionError ? result.Body : default)
        {
            Source = SourceName(source),
            SpanId = trace?.SpanId,
            ParentSpanId = trace?.ParentSpanId,
            Hops = trace?.Hops ?? 0,
            TotalMs = Math.Max(totalMs, result.DurationMs),
        };
    }

    public static string SourceName(InvocationSource source) =>
        (uint)source < (uint)s_sourceNames.Length ? s_sourceNames[(int)source] : source.ToString();
}
