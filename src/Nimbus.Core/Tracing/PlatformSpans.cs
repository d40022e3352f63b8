using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tracing;

/// <summary>
/// The platform's spans of one invocation, derived from its record off the invoke path: the invocation (a
/// <c>Server</c> span named after the function, the parent of the function's own spans and of the calls it makes)
/// and its phases: waiting for an instance, the cold start's init, and the execution.
/// </summary>
public static class PlatformSpans
{
    public static IEnumerable<SpanRecord> From(InvocationRecord record, Func<string> newSpanId)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(newSpanId);
        if (record.TraceId is not { } traceId || record.SpanId is not { } spanId)
        {
            yield break;
        }

        var executed = record.Outcome is not (InvocationOutcome.Throttled or InvocationOutcome.InitError);
        var handOver = record.StartedAt;
        var executionMs = executed ? record.DurationMs : 0;
        var totalMs = Math.Max(record.TotalMs, executionMs);
        var start = handOver.AddMilliseconds(executionMs - totalMs);
        var failed = record.Outcome != InvocationOutcome.Success;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [SpanNames.CloudProvider] = "nimbus",
            [SpanNames.FaasName] = record.FunctionName,
            [SpanNames.FaasVersion] = record.Version,
            [SpanNames.FaasInvocationId] = record.RequestId,
            [SpanNames.FaasColdStart] = record.ColdStart,
            [SpanNames.FaasTrigger] = Trigger(record.Source),
            [SpanNames.Outcome] = record.Outcome.ToString(),
            [SpanNames.Hops] = record.Hops,
        };
        if (record.MemorySizeMb > 0)
        {
            attributes[SpanNames.FaasMaxMemory] = record.MemorySizeMb * 1024L * 1024L;
        }

        if (record.MaxMemoryUsedMb > 0)
        {
            attributes[SpanNames.MaxMemoryUsed] = record.MaxMemoryUsedMb;
        }

        if (record.Alias is { } alias)
        {
            attributes[SpanNames.Alias] = alias;
        }

        if (record.Source is { } source)
        {
            attributes[SpanNames.Source] = source;
        }

        if (failed && record.ErrorType is { } errorType)
        {
            attributes[SpanNames.ErrorType] = errorType;
        }

        if (record.InitDurationMs is { } initMs)
        {
            attributes[SpanNames.InitDuration] = initMs;
        }

        yield return Span(record, spanId, record.ParentSpanId, record.FunctionName, "Server", start, totalMs, failed, attributes);

        // Before the hand-over: waiting for an instance (or a start slot), then the cold start's init when there was one.
        var initMsOrZero = record.InitDurationMs ?? 0;
        var beforeExecution = totalMs - executionMs;
        var waitMs = Math.Max(0, beforeExecution - initMsOrZero);
        var common = new Dictionary<string, object?>(StringComparer.Ordinal) { [SpanNames.FaasInvocationId] = record.RequestId };
        if (waitMs > 0 || !record.ColdStart)
        {
            yield return Span(record, newSpanId(), spanId, SpanNames.QueueWait, "Internal", start, waitMs,
                record.Outcome == InvocationOutcome.Throttled, common);
        }

        if (record.ColdStart)
        {
            var initStart = start.AddMilliseconds(waitMs);
            yield return Span(record, newSpanId(), spanId, SpanNames.Init, "Internal", initStart, Math.Min(initMsOrZero, beforeExecution),
                record.Outcome == InvocationOutcome.InitError, common);
        }

        if (executed)
        {
            yield return Span(record, newSpanId(), spanId, SpanNames.Execute, "Internal", handOver, executionMs, failed, common);
        }
    }

    /// <summary>OpenTelemetry's <c>faas.trigger</c> for an invocation source.</summary>
    public static string Trigger(string? source) => source switch
    {
        "HttpRoute" => "http",
        "Async" or "Destination" => "pubsub",
        "QueueSource" => "datasource",
        "Schedule" => "timer",
        _ => "other",
    };

    private static SpanRecord Span(InvocationRecord record, string spanId, string? parent, string name, string kind, DateTimeOffset start,
        double durationMs, bool error, IReadOnlyDictionary<string, object?> attributes) =>
        new(record.TraceId!, spanId, parent, name, kind, start, Math.Max(0, durationMs), record.FunctionName, record.RequestId, error,
            error ? record.ErrorType : null, SpanRecord.PlatformOrigin, attributes);
}
