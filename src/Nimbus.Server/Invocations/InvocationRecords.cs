using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Invocations;

/// <summary>The one place that decides what the <see cref="InvocationRecord"/> of a dispatched invocation says.</summary>
public static class InvocationRecords
{
    private static readonly string[] s_sourceNames = Enum.GetNames<InvocationSource>();

    /// <param name="finishedAt">When the dispatcher answered; the record starts <see cref="InvocationResult.DurationMs"/> before.</param>
    public static InvocationRecord From(InvocationSource source, ExecutionTarget target, string? alias, InvocationResult result, DateTimeOffset finishedAt)
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
            result.TraceId,
            target.Config.MemoryMb,
            // Error grouping reads Lambda's error JSON of a function error or an init failure.
            result.IsFunctionError ? result.Body : default)
        {
            Source = SourceName(source),
        };
    }

    public static string SourceName(InvocationSource source) =>
        (uint)source < (uint)s_sourceNames.Length ? s_sourceNames[(int)source] : source.ToString();
}
